using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PreferenceStudio.Data.Migrations
{
    /// <inheritdoc />
    public partial class LoopPolicyTrainer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Existing loops keep training with DPO (0).
            migrationBuilder.AddColumn<int>(
                name: "policy_trainer",
                table: "loop_settings",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ppo_config",
                table: "loop_settings",
                type: "jsonb",
                nullable: false,
                // Existing loops get PPO's defaults ("{}"), as a new loop does; "" is not JSON.
                defaultValue: "{}");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "policy_trainer",
                table: "loop_settings");

            migrationBuilder.DropColumn(
                name: "ppo_config",
                table: "loop_settings");
        }
    }
}
