package render

import (
	"path/filepath"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
)

// archiveCommand is a save or load step as the learner types it.
func archiveCommand(c Card) string {
	st := c.Step
	switch st.Kind {
	case lessons.KindSave:
		var refs []string
		for _, r := range strings.Fields(st.Arg) {
			refs = append(refs, c.Names.Named(r))
		}
		return "docker save -o " + st.File + " " + strings.Join(refs, " ")
	}
	return "docker load -i " + st.Arg
}

// archiveOutput is what a save, a tarlist or a load step did.
func (p Painter) archiveOutput(c Card, width int) string {
	s := c.state()
	wrap := lipgloss.NewStyle().Width(width)
	switch {
	case s.Saved != nil:
		var held []string
		for i, r := range s.Saved.Refs {
			if i < len(s.Saved.IDs) {
				r += " (" + docker.ShortID(s.Saved.IDs[i]) + ")"
			}
			held = append(held, r)
		}
		return wrapPath(wrap, p.St.OK.Render(tr(p.T.Arch.SavedFmt, s.Saved.File, p.displayPath(filepath.Clean(s.Saved.Dir)),
			HumanSize(s.Saved.Bytes), strings.Join(held, ", "))))
	case s.Loaded != nil:
		var lines []string
		for _, n := range s.Loaded.Loaded {
			lines = append(lines, "Loaded image: "+n) // the CLI's own words
		}
		for _, id := range s.Loaded.IDs {
			lines = append(lines, wrapKeep(wrap, p.St.OK.Render(tr(p.T.Arch.LoadedIDFmt, docker.ShortID(id)))))
		}
		return strings.Join(lines, "\n")
	case s.Listed != nil:
		return p.listingView(s.Listed.Archive, s.Listed.IDs, width)
	}
	return ""
}

// hex12 is a digest's first 12 hex digits, as the layers panel shows ids.
func hex12(d string) string { return docker.ShortID(d) }

// listingView lists a saved file's entries, each with its size and what it
// is: the indexes, each image's manifest and config, its layers with their
// uncompressed sha256 against the config's diff ids; then the layout, the
// image ids as hashes, the layers stored once.
func (p Painter) listingView(a docker.Archive, ids []string, width int) string {
	a2 := p.T.Arch
	wrap := lipgloss.NewStyle().Width(max(width-2, 10))
	var lines []string
	name := func(e docker.ArchiveEntry) string {
		sz := HumanSize(e.Size)
		if e.Compression != "" {
			sz += " " + e.Compression
		}
		n := e.Name
		if room := width - lipgloss.Width(sz) - 3; lipgloss.Width(n) > room {
			// Cut in the middle: the end says what it is (layer.tar, .json).
			r := []rune(n)
			tail := min(11, len(r)/2)
			n = ansi.Truncate(string(r[:len(r)-tail]), max(room-tail-1, 4), "") + "…" + string(r[len(r)-tail:])
		}
		return p.St.Command.Render(n) + p.St.Dim.Render(" · "+sz)
	}
	role := func(s string) { lines = append(lines, "  "+strings.ReplaceAll(wrapKeep(wrap, s), "\n", "\n  ")) }
	tagOf := func(i int) string {
		if i >= 0 && i < len(a.Images) && len(a.Images[i].Tags) > 0 {
			return strings.Join(a.Images[i].Tags, ", ")
		}
		return "<none>"
	}
	legacy := 0
	shared := 0
	for _, e := range a.Sorted() {
		switch e.Role {
		case docker.RoleLegacyMeta:
			legacy++
			continue
		case docker.RoleLayer:
			if e.Shared > 1 {
				shared++
			}
		}
		if e.Role == docker.RoleLayerLink {
			lines = append(lines, p.St.Command.Render(ansi.Truncate(e.Name, width, "…")))
			im := a.Images[e.Image]
			role(tr(a2.LayerLinkFmt, e.Layer+1, len(im.DiffIDs), tagOf(e.Image), e.Link))
			continue
		}
		lines = append(lines, name(e))
		switch e.Role {
		case docker.RoleSaveManifest:
			role(a2.RoleSaveManifest)
		case docker.RoleIndex:
			role(a2.RoleIndex)
		case docker.RoleLayoutVersion:
			role(a2.RoleLayout)
		case docker.RoleRepositories:
			role(a2.RoleRepositories)
		case docker.RoleConfig:
			im := a.Images[e.Image]
			role(tr(a2.ConfigFmt, tagOf(e.Image), len(im.History), len(im.DiffIDs)))
		case docker.RoleManifest:
			role(tr(a2.ManifestFmt, tagOf(e.Image)))
		case docker.RoleLayer:
			im := a.Images[e.Image]
			f := a2.LayerFmt
			if e.DiffID != im.DiffIDs[e.Layer] {
				f = a2.LayerBadFmt
			}
			text := tr(f, e.Layer+1, len(im.DiffIDs), hex12(e.DiffID), e.Layer+1)
			if e.Compression != "" {
				text = tr(a2.CompressedFmt, e.Compression) + " " + text
			}
			if e.Shared > 1 {
				text += " · " + tr(a2.LayerSharedFmt, e.Shared)
			}
			role(text)
		default:
			role(p.St.Dim.Render(a2.RoleOther))
		}
	}
	if legacy > 0 {
		lines = append(lines, p.St.Dim.Render(wrapKeep(wrap, tr(a2.LegacyMetaFmt, legacy))))
	}
	lines = append(lines, p.St.Dim.Render(tr(a2.TotalFmt, len(a.Entries), HumanSize(a.Bytes))))
	layout := a2.LayoutLegacy
	if a.OCI {
		layout = a2.LayoutOCI
	}
	lines = append(lines, wrapKeep(lipgloss.NewStyle().Width(width), layout))
	for i, im := range a.Images {
		tag := tagOf(i)
		var id string
		if i < len(ids) {
			id = ids[i]
		}
		switch {
		case id != "" && id == im.ConfigDigest:
			lines = append(lines, wrapKeep(lipgloss.NewStyle().Width(width), p.St.OK.Render(tr(a2.IDIsConfigFmt, tag, hex12(id)))))
		case id != "" && id == im.ManifestDigest:
			lines = append(lines, wrapKeep(lipgloss.NewStyle().Width(width), p.St.OK.Render(tr(a2.IDIsManifestFmt, tag, hex12(id)))))
		default:
			lines = append(lines, wrapKeep(lipgloss.NewStyle().Width(width), p.St.Dim.Render(tr(a2.IDNotOnDaemonFmt, tag, hex12(im.ConfigDigest)))))
		}
	}
	n := 0
	for _, e := range a.Entries {
		if e.Role == docker.RoleLayer {
			n++
		}
	}
	if a.LayerMatches() {
		lines = append(lines, wrapKeep(lipgloss.NewStyle().Width(width), p.St.OK.Render(tr(a2.LayersMatchFmt, n))))
	} else {
		lines = append(lines, wrapKeep(lipgloss.NewStyle().Width(width), p.St.Fail.Render(a2.LayersMismatch)))
	}
	if shared > 0 {
		lines = append(lines, wrapKeep(lipgloss.NewStyle().Width(width), p.St.OK.Render(tr(a2.SharedOnceFmt, shared, len(a.Images)))))
	}
	return strings.Join(lines, "\n")
}
