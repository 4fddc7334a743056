# Multi-stage build of the two images: `docker build --target web -t preferencestudio-web .`
# and `docker build --target worker -t preferencestudio-worker .`. Both read ConnectionStrings__Default.
#
# The official .NET 10 images: libtorch comes with TorchSharp from NuGet, and their libstdc++ is new enough for it,
# so scripts/torchsharp-compat.sh finds nothing to do there (docs/torch.md). A CUDA worker for a GPU node:
# docker build --target worker --build-arg TORCH_BACKEND=cuda (TorchSharp-cuda-linux; docs/torch.md, GPU node).
ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
ARG TORCH_BACKEND=cpu
WORKDIR /src
COPY . .
RUN dotnet publish src/PreferenceStudio.Web -c Release -p:TorchBackend=${TORCH_BACKEND} -o /out/web \
    && dotnet publish src/PreferenceStudio.Worker -c Release -p:TorchBackend=${TORCH_BACKEND} -o /out/worker

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime-base
# Exports and checkpoints are written by workers and served by the web app: mount one volume on both.
RUN mkdir /data && chown "$APP_UID" /data
ENV Storage__Root=/data DOTNET_CLI_TELEMETRY_OPTOUT=1
VOLUME /data

FROM runtime-base AS web
WORKDIR /app
COPY --from=build /out/web .
COPY --from=build /src/wwwroot ./wwwroot
COPY appsettings.json .
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
USER $APP_UID
# Apply migrations once per deployment (e.g. as an init container): docker run IMAGE migrate
ENTRYPOINT ["dotnet", "PreferenceStudio.Web.dll"]

FROM runtime-base AS worker
WORKDIR /app
COPY --from=build /out/worker .
COPY appsettings.json .
USER $APP_UID
ENTRYPOINT ["dotnet", "PreferenceStudio.Worker.dll"]
