package cli

import (
	"fmt"
	"math"
	"strings"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons/i18n"
	"github.com/layerlab/layerlab/tui/render"
)

// The words of `layerlab cleanup`, a plain command (no Bubble Tea): it prints
// what layerlab made, asks, removes, and reports.

// PlanText lists a cleanup plan as a table, with what is kept and why.
func PlanText(t i18n.Strings, p docker.CleanupPlan) string {
	var b strings.Builder
	if p.Empty() {
		b.WriteString(i18n.Tr(t.CLINothingFmt+"\n", p.Host))
	} else {
		b.WriteString(i18n.Tr(t.CLIPlanFmt+"\n\n", p.Host))
		itemTable(&b, t, p.Items)
	}
	if len(p.Kept) > 0 {
		fmt.Fprintf(&b, "\n%s\n", t.CLIKept)
		for _, k := range p.Kept {
			why := i18n.Tr(t.CLIKeptMovedFmt, k.Name)
			switch k.Why {
			case docker.KeptTheirTags:
				why = i18n.Tr(t.CLIKeptTheirsFmt, strings.Join(k.Tags, ", "))
			case docker.KeptVolumeInUse:
				why = i18n.Tr(t.Vol.CLIKeptInUseFmt, strings.Join(k.Tags, ", "))
			}
			fmt.Fprintf(&b, "  %s: %s\n", k.Name, why)
		}
	}
	if len(p.Unrecorded) > 0 {
		fmt.Fprintf(&b, "\n%s\n\n", t.CLIUnrecorded)
		itemTable(&b, t, p.Unrecorded)
		fmt.Fprintf(&b, "\n%s\n", t.CLIUnrecordedHow)
	}
	return b.String()
}

// itemTable writes cleanup items as the plan's table, its columns aligned
// by the cells a terminal draws (a Korean letter takes two), not by letters.
func itemTable(b *strings.Builder, t i18n.Strings, items []docker.CleanupItem) {
	var rows [][]string
	for _, it := range items {
		size, what := "", ""
		switch it.Kind {
		case docker.ItemContainer:
			img := it.Image
			if strings.HasPrefix(img, "sha256:") {
				img = docker.ShortID(img)
			}
			what = i18n.Tr(t.CLIContainerFmt, it.How, img)
		case docker.ItemTag:
			size = i18n.Size(it.Size)
			what = i18n.Tr(t.CLITagFmt, it.How)
			if len(it.OtherTags) > 0 {
				what += "; " + i18n.Tr(t.CLIUntagOnlyFmt, strings.Join(it.OtherTags, ", "))
			}
		case docker.ItemImage:
			size = i18n.Size(it.Size)
			switch {
			case it.Unrecorded:
				what = t.CLIUnrecordedImage
			case it.How == "build step":
				what = t.CLIBuildStep
			case it.How == "commit":
				what = t.CLICommitted
			case it.How == "build":
				what = t.CLIBuilt
			case it.How == "pull":
				what = t.CLIPulledDangling
			default:
				what = t.CLIUntaggedImage
			}
			if len(it.OtherTags) > 0 {
				what += "; " + i18n.Tr(t.CLITaggedFmt, strings.Join(it.OtherTags, ", "))
			}
		case docker.ItemVolume:
			what = t.Vol.CLIVolume
			if it.Unrecorded {
				what = t.Vol.CLIUnrecorded
			}
		}
		lesson := it.Lesson
		if lesson == "" {
			lesson = "-"
		}
		kind := map[docker.ItemKind]string{docker.ItemContainer: t.CLIKindContainer, docker.ItemImage: t.CLIKindImage, docker.ItemTag: t.CLIKindTag,
			docker.ItemVolume: t.Vol.CLIKind}[it.Kind]
		rows = append(rows, []string{kind, it.Name, size, lesson, what})
	}
	st := render.NewPlainStyles()
	b.WriteString(render.TableGap(strings.Split(t.CLIHeader, "\t"), rows, nil, math.MaxInt, 3, &st))
	b.WriteString("\n")
}

// ResultLine says what removing one item did, or why it was kept.
func ResultLine(t i18n.Strings, r docker.CleanupResult) string {
	if r.Err != nil {
		x := i18n.Explain(&t, r.Err, r.Item.Name, "")
		s := fmt.Sprintf("✗ %s %s: %s. %s", r.Item.Kind, r.Item.Name, x.Title, x.Plain)
		if len(x.Todo) > 0 {
			s += "\n    › " + strings.Join(x.Todo, "\n    › ")
		}
		return s
	}
	switch r.Item.Kind {
	case docker.ItemContainer, docker.ItemVolume:
		return fmt.Sprintf("✓ %s %s", r.Item.Kind, r.Item.Name)
	}
	if r.Removed.ImageDeleted {
		return i18n.Tr("✓ %s %s: "+t.CLIImageDeletedFmt, r.Item.Kind, r.Item.Name, docker.ShortID(r.Removed.ImageID), len(r.Removed.Deleted))
	}
	return i18n.Tr("✓ %s %s: "+t.CLIUntaggedFmt, r.Item.Kind, r.Item.Name)
}
