# Every file first, then the slow step: any change in the folder runs it again.
FROM busybox:latest
WORKDIR /app
COPY . .
RUN sleep 2 && cp deps.txt installed.txt
