package i18n

import (
	"errors"
	"fmt"
	"strings"

	"github.com/layerlab/layerlab/lessons"
)

// LessonErrorText is a lesson pack's problems, one per line as
// FILE:LINE:COL: message, worded in t's language where it has the message.
func LessonErrorText(t *Strings, err error) string {
	var lines []string
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var le *lessons.Error
		if errors.As(err, &le) {
			msg := le.Msg()
			if f, ok := t.LessonErrors[le.Code]; ok && f != "" {
				args := make([]any, len(le.Args))
				for i, a := range le.Args {
					// A reason given as an argument is worded too.
					if c, ok := a.(lessons.Code); ok {
						a = c.Format()
						if w := t.LessonErrors[c]; w != "" {
							a = w
						}
					}
					args[i] = a
				}
				msg = Tr(f, args...)
			}
			lines = append(lines, fmt.Sprintf("%s:%d:%d: %s", le.File, le.Line, le.Col, msg))
			return
		}
		lines = append(lines, err.Error())
	}
	walk(err)
	return strings.Join(lines, "\n")
}

// lessonErrorsKo words lessons.Error's formats in Korean (their verbs and
// argument order as in English: the same %q, %s, %d).
var lessonErrorsKo = map[lessons.Code]string{
	lessons.CodeTooLarge:              "레슨이 %d KB 입니다: 레슨 파일은 %d KB 까지입니다 (레슨 여러 개로 나누세요)",
	lessons.CodeNotUTF8:               "올바른 UTF-8 텍스트가 아닙니다: 파일을 UTF-8 로 저장하세요",
	lessons.CodeLineTooLong:           "줄이 %d 바이트입니다: 한 줄은 %d 바이트까지입니다",
	lessons.CodeNestedTooDeep:         "여기서 인용과 목록이 %d 단계로 겹쳐 있습니다: %d 단계까지입니다",
	lessons.CodeNoFrontMatter:         "레슨은 머리말로 시작합니다: '---' 한 줄, 'id: …' 와 'title: …', 그리고 '---'",
	lessons.CodeFrontMatterLine:       "머리말 줄은 'key: value' 형식인데, %q 입니다",
	lessons.CodeBadID:                 "id %q: 소문자, 숫자, '-' 만 쓰세요",
	lessons.CodeUnknownFrontMatterKey: "모르는 머리말 키 %q (쓸 수 있는 키: id, title, image)",
	lessons.CodeFrontMatterOpen:       "머리말이 '---' 로 닫히지 않았습니다",
	lessons.CodeNoID:                  "머리말에 'id' 가 없습니다",
	lessons.CodeNoTitle:               "머리말에 'title' 이 없습니다",
	lessons.CodeStepBlockOpen:         "step 블록이 ``` 로 닫히지 않았습니다",
	lessons.CodeStepLine:              "step 줄은 'key: value' 형식인데, %q 입니다",
	lessons.CodeUnknownKind:           "모르는 단계 종류 %q (쓸 수 있는 종류: %s)",
	lessons.CodeStepNeedsValue:        "단계 %q 에는 값이 필요합니다. 예: '%s: busybox'",
	lessons.CodeForbiddenKey:          "단계 키 %q{은} 쓸 수 없습니다: %s",
	lessons.CodeUnknownStepKey:        "%[2]s 단계에 모르는 키 %[1]q (쓸 수 있는 키: %[3]s)",
	lessons.CodeBadExpect:             "expect %q: 단계가 예상할 수 있는 것은 'conflict', 'build-failed', 'fail' (0 이 아닌 코드로 끝나는 명령) 입니다",
	lessons.CodeBadBuilder:            "builder %q: 빌드 단계는 'buildkit' (기본값) 이나 'classic' 을 씁니다",
	lessons.CodeBadVolume:             "volume %q: run 단계는 볼륨을 NAME:/경로 로, 레슨 작업 공간의 폴더를 ./폴더:/경로 로 마운트합니다",
	lessons.CodeEmptyStep:             "빈 step 블록: 첫 줄에 종류를 씁니다. 예: 'pull: busybox'",
	lessons.CodeBadCheck:              "check %q: image REF, container IMAGE, committed REF BASE, removed REF, built REF FILE, smaller REF SIZE (SIZE 는 docker images 가 쓰는 대로: 5MB), whiteout REF PATH, reloaded REF, volume NAME, mounted NAME 중 하나를 쓰세요",
	lessons.CodeBadAppendText:         "text %q: $(date) 가 들어 있으면 큰따옴표 안에 보이므로 다른 \", $, `, \\, ! 는 쓸 수 없습니다",
	lessons.CodePathOutside:           "%s 단계: %q{은} 레슨 작업 공간 안의 경로여야 합니다 (상대 경로, '..' 없이)",
	lessons.CodeStepNeedsKey:          "%s 단계에는 '%s: …' 가 필요합니다",
	lessons.CodeDuplicateID:           "id %q{은} 이미 %s 에서 쓰고 있습니다",
	lessons.CodeNoLessons:             "레슨이 없습니다: 팩에는 en/*.md 파일이 있어야 합니다",
	lessons.CodeNoKorean:              "레슨 %q 의 한국어판이 ko/ 에 없습니다 (같은 id, 같은 단계)",
	lessons.CodeOtherSteps:            "%q 의 한국어판이 영어판과 다른 단계를 실행합니다: %v",
	lessons.CodeNoEnglish:             "레슨 %q 의 영어판이 없습니다",
	lessons.CodeSymbolicLink:          "심볼릭 링크입니다: 팩의 작업 공간에는 보통 파일과 폴더만 둘 수 있습니다 (링크는 이 컴퓨터의 아무 파일에나 닿을 수 있습니다)",
	lessons.CodeOther:                 "%v",

	// The reasons a step key is refused (lessons' forbiddenKeys).
	lessons.CodeReasonMount:      "레슨은 호스트의 폴더를 컨테이너에 마운트할 수 없습니다",
	lessons.CodeReasonPrivileged: "레슨은 특권(privileged) 컨테이너를 실행할 수 없습니다",
	lessons.CodeReasonCaps:       "레슨은 컨테이너에 추가 권한(capability)을 줄 수 없습니다",
	lessons.CodeReasonDevices:    "레슨은 컨테이너에 호스트의 장치를 줄 수 없습니다",
	lessons.CodeReasonNetwork:    "레슨은 호스트의 네트워크를 고를 수 없습니다: 컨테이너는 기본 네트워크를 씁니다",
	lessons.CodeReasonPID:        "레슨은 호스트의 프로세스를 컨테이너와 나눌 수 없습니다",
	lessons.CodeReasonIPC:        "레슨은 호스트의 IPC 를 컨테이너와 나눌 수 없습니다",
	lessons.CodeReasonUser:       "레슨은 컨테이너를 실행할 사용자를 고를 수 없습니다",
	lessons.CodeReasonSecurity:   "레슨은 컨테이너의 보안 옵션을 바꿀 수 없습니다",
	lessons.CodeReasonContext:    "빌드 컨텍스트는 레슨 자신의 폴더이고, 다른 것은 안 됩니다",
}
