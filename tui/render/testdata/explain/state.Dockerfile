ARG VERSION=1.36
FROM busybox:${VERSION} AS base
ENV GREETING=hello
WORKDIR /srv
WORKDIR app
RUN cd /tmp
RUN pwd
RUN export X=1
RUN echo $X $VERSION
USER nobody
RUN echo hi > /etc/motd
COPY ../secret.txt /etc/passwd ./
FROM busybox:${VERSION}
COPY --from=base --chown=nobody /srv/app /app
RUN echo $GREETING
FROM base AS final
ARG VERSION
RUN echo $VERSION
