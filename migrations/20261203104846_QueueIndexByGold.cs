using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PreferenceStudio.Data.Migrations
{
    /// <inheritdoc />
    public partial class QueueIndexByGold : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_annotation_tasks_next_open",
                table: "annotation_tasks");

            migrationBuilder.CreateIndex(
                name: "ix_annotation_tasks_next_open",
                table: "annotation_tasks",
                columns: new[] { "project_id", "is_gold", "priority", "id" },
                descending: new[] { false, false, true, false },
                filter: "state = 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_annotation_tasks_next_open",
                table: "annotation_tasks");

            migrationBuilder.CreateIndex(
                name: "ix_annotation_tasks_next_open",
                table: "annotation_tasks",
                columns: new[] { "project_id", "priority", "id" },
                descending: new[] { false, true, false },
                filter: "state = 0");
        }
    }
}
