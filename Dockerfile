# Multi-stage build of the two images: `docker build --target web -t preferencestudio-web .`
# and `docker build --target worker -t preferencestudio-worker .`. Both read ConnectionStrings__Default.
#
# The images run on Debian 12, like the machines the project is built and tested on: its libtorch 1.13.1 is the one
# the native shim is tested against. Microsoft ships .NET 10 images on Ubuntu only (no libtorch 1.13 there), so .NET
# itself is copied from the official images; it is a portable glibc build that runs on Debian 12.
ARG DOTNET_VERSION=10.0
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS dotnet-sdk
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS dotnet-aspnet

FROM debian:bookworm-slim AS runtime-base
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates libicu72 libssl3 tzdata \
    && rm -rf /var/lib/apt/lists/*
ENV DOTNET_ROOT=/usr/share/dotnet DOTNET_CLI_TELEMETRY_OPTOUT=1
COPY --from=dotnet-aspnet /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
# Exports (and later checkpoints) are written by workers and served by the web app: mount one volume on both.
RUN mkdir /data && chown nobody:nogroup /data
ENV Storage__Root=/data
VOLUME /data

FROM runtime-base AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm cmake ninja-build g++ \
        libtorch-dev libopenblas0-pthread \
    && rm -rf /var/lib/apt/lists/*
COPY --from=dotnet-sdk /usr/share/dotnet /usr/share/dotnet
WORKDIR /src
COPY . .
RUN bash -c 'source scripts/lib.sh && ensure_web_assets' \
    && scripts/build-native.sh \
    && dotnet publish src/PreferenceStudio.Web -c Release -o /out/web \
    && dotnet publish src/PreferenceStudio.Worker -c Release -o /out/worker

FROM runtime-base AS web
WORKDIR /app
COPY --from=build /out/web .
COPY --from=build /src/wwwroot ./wwwroot
COPY appsettings.json .
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
USER nobody
# Apply migrations once per deployment (e.g. as an init container): docker run IMAGE migrate
ENTRYPOINT ["dotnet", "PreferenceStudio.Web.dll"]

FROM runtime-base AS worker
# libtorch for the training jobs (CPU). On a GPU node, build the shim against a CUDA libtorch instead (docs/torch.md).
RUN apt-get update && apt-get install -y --no-install-recommends libtorch1.13 libopenblas0-pthread \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /out/worker .
COPY appsettings.json .
USER nobody
ENTRYPOINT ["dotnet", "PreferenceStudio.Worker.dll"]
