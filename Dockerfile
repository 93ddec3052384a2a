# sillage: one image for the workers, the ingest and one-shot jobs.
# Build:  docker build -t sillage .
# The binary links COIN-OR CLP through cgo, so both stages use Debian
# bookworm, where coinor-libclp is packaged.

FROM golang:1.26-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends coinor-libclp-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=devel
RUN CGO_ENABLED=1 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/sillage ./cmd/sillage

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends coinor-libclp1 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home /var/lib/sillage --create-home sillage
COPY --from=build /out/sillage /usr/local/bin/sillage
COPY testdata/networks /usr/share/sillage/networks
USER sillage
WORKDIR /var/lib/sillage
ENTRYPOINT ["/usr/local/bin/sillage"]
CMD ["help"]
