package docker

// Labels on everything layerlab creates. Only what carries LabelOwned is ever removed.
const (
	LabelOwned  = "org.layerlab.owned"
	LabelLesson = "org.layerlab.lesson"
)

// OwnedLabels are the labels for an object made by the given lesson.
func OwnedLabels(lesson string) map[string]string {
	l := map[string]string{LabelOwned: "true"}
	if lesson != "" {
		l[LabelLesson] = lesson
	}
	return l
}
