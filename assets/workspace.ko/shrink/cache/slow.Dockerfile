# 파일을 모두 먼저 복사하고 느린 단계: 폴더의 무엇이 바뀌어도 다시 실행됩니다.
FROM busybox:latest
WORKDIR /app
COPY . .
RUN sleep 2 && cp deps.txt installed.txt
