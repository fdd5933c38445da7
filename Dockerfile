# SleepTracker container image (SPEC §10.2).
#
# Build stage: the official Go image matching go.mod builds static binaries
# (CGO_ENABLED=0) with the same script CI runs (.ci/static-build). They embed the
# committed UI build and the time-zone database, so no Node stage and no OS
# tzdata are needed.
FROM golang:1.26.8 AS build
WORKDIR /src
# Dependencies first, so editing code does not re-download modules.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# Stamped into `sleep-api version`; override with --build-arg VERSION=1.2.3.
ARG VERSION=dev
ENV VERSION=${VERSION}
RUN bash .ci/static-build /out \
    && mkdir -m 0700 /data-dir

# Runtime stage: distroless static, non-root (uid/gid 65532), no shell.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/sleep-api /out/pw-hash /
# /data must exist and belong to the non-root user before the volume is
# mounted, so that a fresh named volume inherits that ownership.
COPY --from=build --chown=65532:65532 /data-dir /data
VOLUME /data
ENV DATABASE_URL=sqlite:///data/sleep.db API_BIND_ADDR=0.0.0.0:8080
EXPOSE 8080
USER 65532:65532
# The image has no shell or curl; the binary checks its own /health. Timings
# match compose.yaml (dockerfilelint 1.8.0 crashes on a HEALTHCHECK without
# options and does not know --start-period; compose.yaml sets start_period).
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["/sleep-api", "healthcheck"]
ENTRYPOINT ["/sleep-api"]
