using PreferenceStudio.Core.Loop;
using static PreferenceStudio.Core.Tests.Builders;

namespace PreferenceStudio.Core.Tests.Loop;

public class LoopSettingsTests
{
    private static readonly LoopSettingsChange Valid = new(Enabled: true, Cron: "0 * * * *", EveryNewLabels: null,
        ResponsesPerPrompt: 4, PromptsPerRound: 32, HumanShare: 0.5, LabelDeadline: TimeSpan.FromHours(2), EvalPrompts: 16);

    [Fact]
    public void Change_Valid_SetsEveryField()
    {
        var settings = new LoopSettings(projectId: 1, basePolicyId: 3);
        settings.Change(Valid with { Cron = " 0 * * * * " }, "r@example.org", T0).ShouldBeEmpty();
        settings.ToChange().ShouldBe(Valid);
        settings.UpdatedBy.ShouldBe("r@example.org");
        settings.PolicyId.ShouldBe(3);
    }

    [Fact]
    public void Change_EnabledWithoutATrigger_IsRefusedNamingEnabled()
    {
        var settings = new LoopSettings(1, 3);
        var errors = settings.Change(Valid with { Cron = " ", EveryNewLabels = null }, "r", T0);
        errors.ShouldHaveSingleItem().ShouldStartWith("enabled:");
        settings.Enabled.ShouldBeFalse();
    }

    [Fact]
    public void Validate_EveryWrongField_NamesEachOne()
    {
        var errors = (Valid with { ResponsesPerPrompt = 1, PromptsPerRound = 0, HumanShare = 1.5, EveryNewLabels = 0, LabelDeadline = TimeSpan.FromDays(31), EvalPrompts = 0 })
            .Validate();
        errors.Select(e => e.Split(':')[0]).ShouldBe(
            ["every_new_labels", "responses_per_prompt", "prompts_per_round", "human_share", "label_deadline", "eval_prompts"], ignoreOrder: true);
    }

    [Fact]
    public void Advance_ThenRestartFrom_ReturnsToTheNewBase()
    {
        var settings = new LoopSettings(1, 3);
        settings.Advance(8);
        settings.PolicyId.ShouldBe(8);
        settings.BasePolicyId.ShouldBe(3);
        settings.RestartFrom(4);
        (settings.BasePolicyId, settings.PolicyId).ShouldBe((4, 4));
    }
}
