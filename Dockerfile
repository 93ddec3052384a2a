# sillage: one image for the workers, the ingest and the one-shot jobs of
# docker-compose.yml (searchattrs, seed, schedule).
#   docker build -t sillage .
#   docker run --rm sillage help
# The binary links COIN-OR CLP and CBC through cgo, so both stages use Debian
# bookworm, where coinor-libclp and coinor-libcbc are packaged.

FROM golang:1.26-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends coinor-libclp-dev coinor-libcbc-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=devel
RUN --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=1 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/sillage ./cmd/sillage \
 && /out/sillage version

FROM debian:bookworm-slim
# coinor-libclp1 and coinor-libcbc3: the LP and MIP solvers; curl: health
# checks (GET /healthz on the --metrics port); ca-certificates: TLS to
# brokers, suppliers, Temporal Cloud.
RUN apt-get update \
 && apt-get install -y --no-install-recommends coinor-libclp1 coinor-libcbc3 ca-certificates curl tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home /var/lib/sillage --create-home sillage \
 && install -d -o sillage -g sillage /var/lib/sillage/reports
COPY --from=build /out/sillage /usr/local/bin/sillage
COPY testdata/networks /usr/share/sillage/networks
USER sillage
WORKDIR /var/lib/sillage
# Reports written by the workers (a volume in docker-compose.yml), and the
# metrics port the services use (--metrics :2112).
VOLUME ["/var/lib/sillage/reports"]
EXPOSE 2112
ENTRYPOINT ["/usr/local/bin/sillage"]
CMD ["help"]
