#!/usr/bin/env bash
# Adds an EF Core migration to migrations/ (outside the Data project, as the layout asks).
# EF writes the model snapshot into the project's own Migrations/ folder; it belongs beside the migrations.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 1 ] || { echo "usage: scripts/add-migration.sh NAME" >&2; exit 2; }
dotnet tool restore >/dev/null
dotnet ef migrations add "$1" -p src/PreferenceStudio.Data -s src/PreferenceStudio.Data -o ../../migrations
if [ -f src/PreferenceStudio.Data/Migrations/PreferenceStudioDbContextModelSnapshot.cs ]; then
  mv src/PreferenceStudio.Data/Migrations/PreferenceStudioDbContextModelSnapshot.cs migrations/
  rmdir src/PreferenceStudio.Data/Migrations 2>/dev/null || true
fi
