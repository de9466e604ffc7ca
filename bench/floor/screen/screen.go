// Package screen is the start-up floors' whole program: the emptiest Bubble
// Tea v2 model that draws the first words of layerlab's first frame, until
// a key.
package screen

import (
	"fmt"
	"os"

	tea "charm.land/bubbletea/v2"
)

type model struct{}

func (model) Init() tea.Cmd { return nil }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyPressMsg); ok {
		return m, tea.Quit
	}
	return m, nil
}

func (model) View() tea.View {
	v := tea.NewView("layerlab\n\n  Pick a lesson:")
	v.AltScreen = true
	return v
}

// Run draws the screen until a key is pressed.
func Run() {
	if _, err := tea.NewProgram(model{}).Run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
