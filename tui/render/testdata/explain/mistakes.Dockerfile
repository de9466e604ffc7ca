ARG V
FROM busybox:$V
ENV A=1 GREETING=hello
WORKDIR /app
RUN cd /tmp
RUN echo '$A' > a.txt
RUN echo "$GREETING" > b.txt
CMD ['sh','-c','echo hi']
n
