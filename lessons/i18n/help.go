package i18n

// Help words a line of layerlab's command-line help (a flag's description,
// a usage block) in lang; English is the key, and what has no translation
// stays English.
func Help(lang, english string) string {
	if lang == LangKorean {
		if s, ok := helpKo[english]; ok {
			return s
		}
	}
	return english
}

// helpKo is the command-line help in Korean, by its English words. A test
// reads cli/ and checks that every h("…") has its entry here.
var helpKo = map[string]string{
	"pull Docker Hub images of the lessons from this registry (HOST:PORT) instead; also LAYERLAB_REGISTRY_MIRROR, config registry_mirror":          "레슨의 Docker Hub 이미지를 대신 이 레지스트리(HOST:PORT)에서 받습니다; LAYERLAB_REGISTRY_MIRROR, 설정 registry_mirror 로도 정할 수 있습니다",
	"colours for the terminal's background: auto (ask the terminal)|dark|light; NO_COLOR turns colours off; config theme":                          "터미널 배경에 맞는 색: auto (터미널에 물어봄)|dark|light; NO_COLOR 는 색을 끕니다; 설정 theme",
	"print layerlab's version and the engine it talks to":                                                                                          "layerlab 의 버전과 연결된 엔진을 출력합니다",
	"no screen: print a lesson as plain text and run its steps as a script (chosen when stdout is not a terminal)":                                 "화면 없이: 레슨을 일반 텍스트로 출력하고 단계를 스크립트처럼 실행합니다 (표준 출력이 터미널이 아니면 자동으로)",
	"open this lesson at start (its id; layerlab --plain lists them); with --plain: the lesson to print and run":                                   "시작할 때 이 레슨을 엽니다 (레슨 id; layerlab --plain 이 목록을 보여 줍니다); --plain 과 함께: 출력하고 실행할 레슨",
	"with --plain: print the lesson only, run nothing (a handout)":                                                                                 "--plain 과 함께: 레슨만 출력하고 아무것도 실행하지 않습니다 (유인물)",
	"load the lessons of a lesson pack from this folder instead of the built-in ones (see docs/lessons.md)":                                        "내장 레슨 대신 이 폴더의 레슨 팩을 읽습니다 (docs/lessons.md 참고)",
	"language: en|ko (default: config lang, else LC_ALL, LC_MESSAGES or LANG; L switches inside the app)":                                          "언어: en|ko (기본값: 설정 lang, 없으면 LC_ALL, LC_MESSAGES, LANG; 앱 안에서는 L 로 바꿈)",
	"write a debug log to this file (never to the terminal)":                                                                                       "디버그 로그를 이 파일에 씁니다 (터미널에는 쓰지 않음)",
	"the folder for the lessons' workspaces (build contexts, Dockerfiles); default: your cache folder/layerlab/workspace; also LAYERLAB_WORKSPACE": "레슨 작업 공간(빌드 컨텍스트, Dockerfile)의 폴더; 기본값: 캐시 폴더/layerlab/workspace; LAYERLAB_WORKSPACE 로도 정할 수 있습니다",
	"remove without asking (for scripts)":           "묻지 않고 지웁니다 (스크립트용)",
	"only list what would be removed":               "지울 것을 목록으로만 보여 줍니다",
	"only what this lesson made (its id, e.g. rmi)": "이 레슨이 만든 것만 (레슨 id, 예: rmi)",
	"also remove this `NAME` (a container name, an image id or tag) listed as not recorded; repeat for each": "기록되지 않은 것으로 나온 이 `NAME`(컨테이너 이름, 이미지 id 나 태그)도 지웁니다; 하나마다 반복하세요",
	"wrap at this many columns":                 "이 너비(열)에서 줄을 바꿉니다",
	"the classroom registry mirror (HOST:PORT)": "수업용 레지스트리 미러 (HOST:PORT)",
	"doctor: print the checks as JSON":          "doctor: 점검 결과를 JSON 으로 출력합니다",
	"listen for SSH on this address":            "이 주소에서 SSH 를 받습니다",
	"the class list: a learner a line, NAME [SSH PUBLIC KEY], and 'passphrase: …' for those without a key (docs/classroom.md)": "수업 명단: 한 줄에 학습자 한 명, 이름 [SSH 공개 키], 키가 없는 학습자를 위한 'passphrase: …' (docs/classroom.md)",
	"the server's state: host key, learners' progress, workspaces and engines":                                                 "서버의 상태: 호스트 키, 학습자의 진도, 작업 공간, 엔진",
	"the learners' engines' sockets":                                                                                 "학습자 엔진의 소켓",
	"stop a learner's engine after this long without a session (0: never)":                                           "세션 없이 이만큼 지나면 학습자의 엔진을 멈춥니다 (0: 멈추지 않음)",
	"sessions a learner may have at once":                                                                            "학습자 한 명이 동시에 열 수 있는 세션 수",
	"the instructor's view: who is connected, where each learner is, who is stuck":                                   "강사 화면: 누가 접속했는지, 각 학습자가 어디에 있는지, 누가 막혔는지",
	"remove learner `NAME`'s engine, progress and workspace (a fresh start): their sessions end first":               "학습자 `NAME` 의 엔진, 진도, 작업 공간을 지웁니다 (처음부터 다시): 그 학습자의 세션이 먼저 끝납니다",
	"release learner `NAME`'s name: their next login with the class passphrase binds it anew (a lost key or secret)": "학습자 `NAME` 의 이름을 풉니다: 다음에 수업 암호로 로그인할 때 새로 묶입니다 (키나 비밀 문구를 잃어버렸을 때)",
	"each learner's engine's disk: a filesystem of this size (a new size holds after --reset)":                       "학습자마다 엔진의 디스크: 이 크기의 파일 시스템 (새 크기는 --reset 뒤에 적용)",
	"the most processes and threads each learner's engine may run, containers included":                              "학습자마다 엔진이 돌릴 수 있는 프로세스와 스레드의 최대 수 (컨테이너 포함)",
	"stop every learner's engine, keeping their images and containers (the end of a class)":                          "모든 학습자의 엔진을 멈춥니다. 이미지와 컨테이너는 남깁니다 (수업이 끝날 때)",
	`
Usage:  layerlab [OPTIONS]
        layerlab COMMAND [OPTIONS]

Learn how Docker images and containers really work, on your own daemon.

Commands:
  cleanup     Remove what layerlab made, never anything else (--dry-run, --yes, --lesson ID)
  doctor      Check this machine for the lessons (--json)
  prepare     Pull every image the lessons need, before class
  bundle      Export or import the lesson images: bundle export|import FILE
  lessons     Check a lesson pack: lessons validate DIR
  progress    Show or reset your progress: progress show|reset
  explain     Explain a Dockerfile line by line: explain FILE
  serve       Serve a classroom over SSH, an engine per learner (--class FILE; --watch; --reset NAME)
  version     Print layerlab's version and the engine it talks to
`: `
사용법:  layerlab [옵션]
         layerlab 명령 [옵션]

Docker 이미지와 컨테이너가 실제로 어떻게 동작하는지, 내 데몬에서 직접 배웁니다.

명령:
  cleanup     layerlab 이 만든 것만 지웁니다, 다른 것은 절대 지우지 않음 (--dry-run, --yes, --lesson ID)
  doctor      이 컴퓨터가 레슨을 할 수 있는지 점검합니다 (--json)
  prepare     수업 전에 레슨에 필요한 이미지를 모두 받습니다
  bundle      레슨 이미지를 파일로 내보내거나 가져옵니다: bundle export|import FILE
  lessons     레슨 팩을 점검합니다: lessons validate DIR
  progress    진도를 보거나 처음부터 다시 합니다: progress show|reset
  explain     Dockerfile 을 한 줄씩 설명합니다: explain FILE
  serve       SSH 로 수업을 엽니다, 학습자마다 엔진 하나 (--class FILE; --watch; --reset NAME)
  version     layerlab 의 버전과 연결된 엔진을 출력합니다
`,
	"Config: %s (lang, theme, registry_mirror, workspace); options and environment variables override it.":                                                                                                                                                                          "설정: %s (lang, theme, registry_mirror, workspace); 옵션과 환경 변수가 설정보다 우선합니다.",
	"\nUsage:  layerlab cleanup [OPTIONS]\n\nRemove the containers, images and tags layerlab made; never anything else.\n":                                                                                                                                                          "\n사용법:  layerlab cleanup [옵션]\n\nlayerlab 이 만든 컨테이너, 이미지, 태그를 지웁니다; 다른 것은 절대 지우지 않습니다.\n",
	"\nUsage:  layerlab progress show|reset [OPTIONS]\n\nShow your progress through the lessons, or forget it (start again).\n":                                                                                                                                                     "\n사용법:  layerlab progress show|reset [옵션]\n\n레슨 진도를 보거나, 지우고 처음부터 다시 합니다.\n",
	"\nUsage:  layerlab explain [OPTIONS] FILE\n\nExplain a Dockerfile line by line, as the editor's pane does; fail when it has an error that would stop a build.\n":                                                                                                               "\n사용법:  layerlab explain [옵션] FILE\n\n편집기 옆 창처럼 Dockerfile 을 한 줄씩 설명합니다; 빌드를 멈출 오류가 있으면 실패합니다.\n",
	"\nUsage:  layerlab lessons validate [OPTIONS] DIR\n\nCheck a lesson pack: every problem, one a line, as file:line:column: message.\n":                                                                                                                                          "\n사용법:  layerlab lessons validate [옵션] DIR\n\n레슨 팩을 점검합니다: 문제마다 한 줄, 파일:줄:열: 내용.\n",
	"\nUsage:  layerlab serve --class FILE [OPTIONS]\n        layerlab serve --watch | --reset NAME | --release NAME | --stop-engines\n\nServe a classroom over SSH, an engine per learner; --lang is what the server says before a learner's language is known, and the view's.\n": "\n사용법:  layerlab serve --class FILE [옵션]\n         layerlab serve --watch | --reset NAME | --release NAME | --stop-engines\n\nSSH 로 수업을 엽니다, 학습자마다 엔진 하나; --lang 은 학습자의 언어를 알기 전에 서버가 쓰는 언어, 그리고 강사 화면의 언어입니다.\n",
	"\nUsage:  layerlab version\n\nPrint layerlab's version and the engine it talks to.\n":                                                                                                                                                                                          "\n사용법:  layerlab version\n\nlayerlab 의 버전과 연결된 엔진을 출력합니다.\n",
	"\nUsage:  layerlab doctor [OPTIONS]\n\nCheck this machine for the lessons: the daemon, the engine, the registry, the lesson images, the terminal.\n":                                                                                                                           "\n사용법:  layerlab doctor [옵션]\n\n이 컴퓨터가 레슨을 할 수 있는지 점검합니다: 데몬, 엔진, 레지스트리, 레슨 이미지, 터미널.\n",
	"\nUsage:  layerlab prepare [OPTIONS]\n\nPull every image the lessons need, before class.\n":                                                                                                                                                                                    "\n사용법:  layerlab prepare [옵션]\n\n수업 전에 레슨에 필요한 이미지를 모두 받습니다.\n",
	"\nUsage:  layerlab bundle export FILE\n        layerlab bundle import FILE\n\nWrite the lesson images to a file, or load them from one (a classroom without network).\n":                                                                                                       "\n사용법:  layerlab bundle export FILE\n         layerlab bundle import FILE\n\n레슨 이미지를 파일로 내보내거나 파일에서 가져옵니다 (네트워크 없는 교실).\n",
	"\nGlobal options (before or after the command):\n": "\n공통 옵션 (명령 앞이나 뒤에):\n",
	"\nOptions:\n": "\n옵션:\n",
}
