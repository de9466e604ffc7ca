FROM busybox:latest
ENV APP_DIR=/app
WORKDIR ${APP_DIR}
COPY hello.txt $APP_DIR/
CMD ["sh", "-c", "cat hello.txt"]
