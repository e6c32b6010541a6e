# A small image with aludel and one project's migrations, to run them as a one-shot
# service (README: "Docker Compose"). Build from the repository root:
#   docker build -t aludel-shop-migrations .                          # examples/shop
#   docker build -t my-migrations --build-arg PROJECT=db/project .    # another project
# PROJECT is a folder of the build context holding aludel.toml and migrations/.

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
# The same command as CI's (scripts/test.sh; crates/aludel-cli/tests/guides.rs keeps
# the two identical), so every CI run compiles what this image ships.
RUN cargo build --release --locked -p aludel-cli

FROM debian:bookworm-slim
ARG PROJECT=examples/shop
COPY --from=build /src/target/release/aludel /usr/local/bin/aludel
WORKDIR /project
COPY ${PROJECT}/aludel.toml aludel.toml
COPY ${PROJECT}/migrations migrations
ENTRYPOINT ["aludel"]
CMD ["current"]
