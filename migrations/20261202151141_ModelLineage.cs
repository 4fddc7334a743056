using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PreferenceStudio.Data.Migrations
{
    /// <inheritdoc />
    public partial class ModelLineage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "labels_seen",
                table: "model_versions",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "newest_label_at",
                table: "model_versions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "origin",
                table: "model_versions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "reference_model_id",
                table: "model_versions",
                type: "integer",
                nullable: true);

            // The previous release's run-made versions are reward models of reward-model runs (the only job it had);
            // the rest were registered folders, which the default (0, Base) already says.
            migrationBuilder.Sql("""
                UPDATE model_versions m SET origin = 1
                FROM training_runs r WHERE m.training_run_id = r.id AND r.kind = 0;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_model_versions_reference_model_id",
                table: "model_versions",
                column: "reference_model_id");

            migrationBuilder.AddCheckConstraint(
                name: "ck_model_versions_labels_seen",
                table: "model_versions",
                sql: "labels_seen IS NULL OR labels_seen >= 0");

            migrationBuilder.AddForeignKey(
                name: "fk_model_versions_model_versions_reference_model_id",
                table: "model_versions",
                column: "reference_model_id",
                principalTable: "model_versions",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_model_versions_model_versions_reference_model_id",
                table: "model_versions");

            migrationBuilder.DropIndex(
                name: "ix_model_versions_reference_model_id",
                table: "model_versions");

            migrationBuilder.DropCheckConstraint(
                name: "ck_model_versions_labels_seen",
                table: "model_versions");

            migrationBuilder.DropColumn(
                name: "labels_seen",
                table: "model_versions");

            migrationBuilder.DropColumn(
                name: "newest_label_at",
                table: "model_versions");

            migrationBuilder.DropColumn(
                name: "origin",
                table: "model_versions");

            migrationBuilder.DropColumn(
                name: "reference_model_id",
                table: "model_versions");
        }
    }
}
