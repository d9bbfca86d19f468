# syntax=docker/dockerfile:1
# The dashboard as a container image. Not built on the development machines (they have no container
# engine); kept correct by reading against `dotnet publish`, which the test suite exercises.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
COPY migrations/ migrations/
COPY wwwroot/ wwwroot/
RUN dotnet publish src/MultiCluster.Web/MultiCluster.Web.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
# The image's non-root user "app" owns the data directory (SQLite registry, keys).
RUN mkdir -p /data && chown app:app /data
COPY --from=build /app ./
USER app
# Plain HTTP on 8080 for a TLS-terminating proxy in front: set ForwardedHeaders__Enabled=true and name the proxy
# (ForwardedHeaders__KnownProxies__0 or ForwardedHeaders__KnownNetworks__0), as docker-compose.yml does.
ENV Urls=http://+:8080 \
    MultiCluster__DataDirectory=/data
EXPOSE 8080
VOLUME ["/data"]
ENTRYPOINT ["dotnet", "MultiCluster.Web.dll"]
