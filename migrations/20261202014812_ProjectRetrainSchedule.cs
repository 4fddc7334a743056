using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PreferenceStudio.Data.Migrations
{
    /// <inheritdoc />
    public partial class ProjectRetrainSchedule : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "retrain_base_model_id",
                table: "projects",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "retrain_cron",
                table: "projects",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_projects_retrain_base_model_id",
                table: "projects",
                column: "retrain_base_model_id");

            migrationBuilder.AddForeignKey(
                name: "fk_projects_model_versions_retrain_base_model_id",
                table: "projects",
                column: "retrain_base_model_id",
                principalTable: "model_versions",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_projects_model_versions_retrain_base_model_id",
                table: "projects");

            migrationBuilder.DropIndex(
                name: "ix_projects_retrain_base_model_id",
                table: "projects");

            migrationBuilder.DropColumn(
                name: "retrain_base_model_id",
                table: "projects");

            migrationBuilder.DropColumn(
                name: "retrain_cron",
                table: "projects");
        }
    }
}
