using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PreferenceStudio.Data.Migrations
{
    /// <inheritdoc />
    public partial class QualitySnapshots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "quality_snapshots",
                columns: table => new
                {
                    project_id = table.Column<int>(type: "integer", nullable: false),
                    computed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    compute_ms = table.Column<int>(type: "integer", nullable: false),
                    figures = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_quality_snapshots", x => x.project_id);
                    table.CheckConstraint("ck_quality_snapshots_compute_ms", "compute_ms >= 0");
                    table.ForeignKey(
                        name: "fk_quality_snapshots_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "quality_snapshots");
        }
    }
}
