package tui

import (
	"context"
	"reflect"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
)

// pump runs the model's commands the way Bubble Tea does, one message at a
// time, until none is left in flight, ctx ends, or after(model, msg) says
// stop. Timers that would tick forever (spinner, highlight) are dropped.
func pump(ctx context.Context, m Model, cmd tea.Cmd, after func(Model, tea.Msg) bool) Model {
	var then func(Model, tea.Msg) (Model, tea.Cmd, bool)
	if after != nil {
		then = func(m Model, msg tea.Msg) (Model, tea.Cmd, bool) { return m, nil, after(m, msg) }
	}
	return pumpWith(ctx, m, cmd, then)
}

// sequence is the commands of a tea.Sequence's message (a slice of
// commands of a type of Bubble Tea's own).
func sequence(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	want := reflect.TypeOf([]tea.Cmd(nil))
	if !v.IsValid() || v.Kind() != reflect.Slice || !v.Type().ConvertibleTo(want) || v.Type() == reflect.TypeOf(tea.BatchMsg(nil)) {
		return nil, false
	}
	return v.Convert(want).Interface().([]tea.Cmd), true
}

// pumpWith is pump whose after may also act on the model (keys a learner
// presses while things run, in tests) and hand in the commands that made.
func pumpWith(ctx context.Context, m Model, cmd tea.Cmd, after func(Model, tea.Msg) (Model, tea.Cmd, bool)) Model {
	msgs := make(chan tea.Msg, 64)
	pending := 0
	run := func(c tea.Cmd) {
		if c == nil {
			return
		}
		pending++
		go func() { msgs <- c() }()
	}
	run(cmd)
	for pending > 0 {
		select {
		case <-ctx.Done():
			if m.work.running != nil {
				m.work.running.cancel()
			}
			return m
		case msg := <-msgs:
			pending--
			switch msg := msg.(type) {
			case nil:
				continue
			case tea.BatchMsg:
				for _, c := range msg {
					run(c)
				}
				continue
			case clearHighlightMsg, spinner.TickMsg:
				continue
			}
			if seq, ok := sequence(msg); ok {
				// tea.Sequence: its commands one after another, in order.
				for _, c := range seq {
					if c != nil {
						pending++
					}
				}
				go func() {
					for _, c := range seq {
						if c != nil {
							msgs <- c()
						}
					}
				}()
				continue
			}
			nm, c := m.Update(msg)
			m = nm.(Model)
			run(c)
			if after != nil {
				var extra tea.Cmd
				var stop bool
				m, extra, stop = after(m, msg)
				if stop {
					return m
				}
				run(extra)
			}
		}
	}
	return m
}
