# smtpspec as a container image, built from Debian's packages only
# (tools/setup.sh) and this repository: the release tarball (//:release)
# built with --config=opt, unpacked in /opt/smtpspec of a bookworm image
# that has only the runtime packages (`tools/setup.sh --runtime`).
#
#   docker build -t smtpspec .
#   docker run --rm --network host -v "$PWD:$PWD" -w "$PWD" smtpspec \
#       run --target my-mta=127.0.0.1:2525 --report-html report.html
#
# The GitHub action (action.yml, tools/action/run.sh) builds and runs it
# this way; docs/ci.md.
FROM debian:bookworm AS build
COPY . /src
WORKDIR /src
RUN tools/setup.sh --build \
 && bazel build --config=opt //:release \
 && mkdir /release \
 && tar -xzf bazel-bin/tools/release/smtpspec.tar.gz -C /release \
        --strip-components=1

FROM debian:bookworm
COPY --from=build /release /opt/smtpspec
# No WORKSPACE in a release: setup.sh installs the runtime tier.
RUN /opt/smtpspec/tools/setup.sh && rm -rf /var/lib/apt/lists/* \
 && /opt/smtpspec/smtpspec --version
ENTRYPOINT ["/opt/smtpspec/smtpspec"]
CMD ["--help"]
