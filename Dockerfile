# One image with every hcaops program; docker-compose.yml picks the command.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/ ./worker ./starter ./ticketctl ./esctl ./reportctl ./whatif ./fakes ./codecserver

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/ /usr/local/bin/
COPY demo/ /demo/
USER nonroot
ENTRYPOINT []
