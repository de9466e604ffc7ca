package i18n

// HelpStrings are the command line's help, in one language: each option's
// line (by command and option: AppTheme is the app's --theme), each
// command's usage block, and the headings of the help (cli words them with
// e.t.Help).
type HelpStrings struct {
	AppTheme          string
	AppVersion        string
	AppPlain          string
	AppLesson         string
	AppNoRun          string
	AppWorkspace      string
	UsageApp          string
	Mirror            string
	CleanupYes        string
	CleanupDryRun     string
	CleanupLesson     string
	CleanupUnrecorded string
	UsageCleanup      string
	UsageProgress     string
	ExplainWidth      string
	UsageExplain      string
	UsageLessons      string
	ServeAddr         string
	ServeClass        string
	ServeState        string
	ServeRun          string
	ServeIdle         string
	ServeMaxSessions  string
	ServeDisk         string
	ServePids         string
	ServeEngineCPU    string
	ServeWatch        string
	ServeReset        string
	ServeRelease      string
	ServeStopEngines  string
	UsageServe        string
	UsageVersion      string
	DoctorJson        string
	UsageDoctor       string
	UsagePrepare      string
	UsageBundle       string
	OptionsHeading    string
	GlobalHeading     string
	// FlagString and FlagDefault stand for the flag library's own words in
	// an option's line ("--lesson string", "(default "auto")"); FlagString
	// takes as many cells as "string", so that the columns stay aligned.
	FlagString    string
	FlagDefault   string
	ConfigFmt     string
	GlobalLang    string
	GlobalLessons string
	GlobalLog     string
}
