# Three stages; only the last one becomes the image.
FROM busybox:latest AS build
RUN echo "made in the build stage" > /result.txt && dd if=/dev/zero of=/big-tool bs=1024 count=512
FROM busybox:latest AS unused
RUN echo "nothing copies from this stage" > /never.txt
FROM busybox:latest
COPY --from=build /result.txt /app/result.txt
CMD ["cat", "/app/result.txt"]
