package cli

import (
	"bufio"
	"errors"
	"fmt"
	"slices"
	"strings"

	flag "github.com/spf13/pflag"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// cleanupCmd is `layerlab cleanup`: list what layerlab made on the daemon,
// ask, remove it. Only what layerlab's ledger records (containers and images
// by id, tags it set) is ever a candidate; nothing is forced. What carries
// its label without a record is listed apart and removed only when named
// one by one (--unrecorded).
func cleanupCmd(e *env, fs *flag.FlagSet) (string, func([]string) error) {
	yes := fs.Bool("yes", false, e.t.Help.CleanupYes)
	dry := fs.Bool("dry-run", false, e.t.Help.CleanupDryRun)
	lesson := fs.String("lesson", "", e.t.Help.CleanupLesson)
	unrecorded := fs.StringArray("unrecorded", nil, e.t.Help.CleanupUnrecorded)
	usage := e.t.Help.UsageCleanup
	return usage, func(args []string) error {
		if err := e.noArgs(args); err != nil {
			return err
		}
		t, out := e.t, e.stdout
		set, err := e.lessons()
		if err != nil {
			return err
		}
		cli, err := e.newClient()
		if err != nil {
			return err
		}
		defer cli.Close()
		ctx, stop := e.signalContext()
		defer stop()
		if _, err := cli.Connect(ctx); err != nil {
			return errors.New(i18n.ErrorText(t, err))
		}
		if *lesson != "" && !knownLesson(cli, set, *lesson) {
			return errors.New(i18n.Tr(t.CLINoLessonFmt, *lesson, strings.Join(lessonIDs(set), ", ")))
		}
		plan, err := cli.PlanCleanup(ctx, *lesson)
		if err != nil {
			return errors.New(i18n.ErrorText(t, err))
		}
		recorded := len(plan.Items)
		plan, missing := plan.Adopt(*unrecorded)
		if len(*unrecorded) > 0 {
			// Naming things not recorded removes those, and only those.
			plan.Items, plan.Kept = plan.Items[recorded:], nil
		}
		fmt.Fprint(out, PlanText(t, plan))
		if len(missing) > 0 {
			return errors.New(i18n.Tr(t.CLINoSuchUnrecordedFmt, strings.Join(missing, ", ")))
		}
		if plan.Empty() {
			return nil
		}
		for _, it := range plan.Items {
			if it.Kind == docker.ItemContainer && it.How == "running" {
				fmt.Fprintln(out, "\n"+i18n.Tr(t.CLIRunningFmt, it.Name))
			}
		}
		if *dry {
			fmt.Fprintln(out, "\n"+t.CLIDryRun)
			return nil
		}
		if !*yes {
			if !isTerminal(e.stdin) {
				return errors.New(t.CLINotTerminal)
			}
			fmt.Fprint(out, "\n"+t.CLIAsk)
			answer, _ := bufio.NewReader(e.stdin).ReadString('\n')
			if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
				fmt.Fprintln(out, t.CLIAborted)
				return nil
			}
		}
		fmt.Fprintln(out)
		failed := 0
		results := cli.Cleanup(ctx, plan, func(r docker.CleanupResult) {
			fmt.Fprintln(out, ResultLine(t, r))
		})
		for _, r := range results {
			if r.Err != nil {
				failed++
			}
		}
		// Kept: what failed, and what the plan listed as kept.
		fmt.Fprintln(out, "\n"+i18n.Tr(t.CLISummaryFmt, len(results)-failed, failed+len(plan.Kept)))
		if failed > 0 {
			return errors.New(t.Cmd.CleanupKept)
		}
		return nil
	}
}

// lessonIDs are the ids of the set's lessons.
func lessonIDs(set lessonSet) []string {
	var ids []string
	for _, l := range set.in(i18n.LangEnglish) {
		ids = append(ids, l.ID)
	}
	return ids
}

// knownLesson reports whether id is a lesson's (one of the set, or one the
// ledger has records of: another pack's, the : line's).
func knownLesson(cli *docker.Client, set lessonSet, id string) bool {
	if slices.Contains(lessonIDs(set), id) {
		return true
	}
	l := cli.Ledger()
	host := cli.Endpoint().Host
	return len(l.Records(host, id))+len(l.Images(host, id))+len(l.Containers(host, id)) > 0
}
