# Multi-stage build of the two images: `docker build --target web -t preferencestudio-web .`
# and `docker build --target worker -t preferencestudio-worker .`. Both read ConnectionStrings__Default.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm cmake g++ libtorch-dev libopenblas0-pthread \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN bash -c 'source scripts/lib.sh && ensure_web_assets' \
    && if [ -x scripts/build-native.sh ]; then scripts/build-native.sh; fi \
    && dotnet publish src/PreferenceStudio.Web -c Release -o /out/web \
    && dotnet publish src/PreferenceStudio.Worker -c Release -o /out/worker

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS web
WORKDIR /app
COPY --from=build /out/web .
COPY --from=build /src/wwwroot ./wwwroot
COPY appsettings.json .
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
# Apply migrations once per deployment (e.g. as an init container): docker run IMAGE migrate
ENTRYPOINT ["dotnet", "PreferenceStudio.Web.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS worker
# libtorch for the training jobs (CPU). On a GPU node build FROM a CUDA base and point the shim at a CUDA libtorch (docs/torch.md).
RUN apt-get update && apt-get install -y --no-install-recommends libtorch1.13 libopenblas0-pthread \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /out/worker .
COPY appsettings.json .
ENTRYPOINT ["dotnet", "PreferenceStudio.Worker.dll"]
