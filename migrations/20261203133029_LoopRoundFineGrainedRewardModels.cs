using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PreferenceStudio.Data.Migrations
{
    /// <inheritdoc />
    public partial class LoopRoundFineGrainedRewardModels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "principle_reward_model_id",
                table: "loop_rounds",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "span_reward_model_id",
                table: "loop_rounds",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_loop_rounds_principle_reward_model_id",
                table: "loop_rounds",
                column: "principle_reward_model_id");

            migrationBuilder.CreateIndex(
                name: "ix_loop_rounds_span_reward_model_id",
                table: "loop_rounds",
                column: "span_reward_model_id");

            migrationBuilder.AddForeignKey(
                name: "fk_loop_rounds_model_versions_principle_reward_model_id",
                table: "loop_rounds",
                column: "principle_reward_model_id",
                principalTable: "model_versions",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_loop_rounds_model_versions_span_reward_model_id",
                table: "loop_rounds",
                column: "span_reward_model_id",
                principalTable: "model_versions",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_loop_rounds_model_versions_principle_reward_model_id",
                table: "loop_rounds");

            migrationBuilder.DropForeignKey(
                name: "fk_loop_rounds_model_versions_span_reward_model_id",
                table: "loop_rounds");

            migrationBuilder.DropIndex(
                name: "ix_loop_rounds_principle_reward_model_id",
                table: "loop_rounds");

            migrationBuilder.DropIndex(
                name: "ix_loop_rounds_span_reward_model_id",
                table: "loop_rounds");

            migrationBuilder.DropColumn(
                name: "principle_reward_model_id",
                table: "loop_rounds");

            migrationBuilder.DropColumn(
                name: "span_reward_model_id",
                table: "loop_rounds");
        }
    }
}
