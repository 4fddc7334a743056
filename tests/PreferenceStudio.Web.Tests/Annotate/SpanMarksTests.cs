using PreferenceStudio.Annotating;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Web.Components.Pages.Annotate;

namespace PreferenceStudio.Web.Tests.Annotate;

public sealed class SpanMarksTests
{
    private const string Emoji = "Pizza 🍕 and cafe\u0301 👩‍👩‍👧 are good.";

    [Fact]
    public void Normalize_SelectionWithSpacesAround_DropsThem()
    {
        SpanMarks.Normalize("one  two  three", 4, 10).ShouldBe((5, 8));
    }

    [Fact]
    public void Normalize_EndsInsideSurrogatePairs_WidensToWholePairs()
    {
        var pizza = Emoji.IndexOf("🍕", StringComparison.Ordinal);

        // The browser can report an offset between the two halves of 🍕 (U+1F355, two UTF-16 code units).
        SpanMarks.Normalize(Emoji, pizza + 1, pizza + 1 + 1).ShouldBe((pizza, pizza + 2));
        SpanMarks.Normalize(Emoji, 0, pizza + 1).ShouldBe((0, pizza + 2));
    }

    [Fact]
    public void Normalize_OnlyWhiteSpace_IsNoSpan()
    {
        SpanMarks.Normalize("a   b", 1, 4).ShouldBeNull();
        SpanMarks.Normalize("ab", 1, 1).ShouldBeNull();
    }

    [Fact]
    public void Segments_MarkedSpansAfterEmoji_ConcatenateToTheTextWithTheMarksInPlace()
    {
        var start = Emoji.IndexOf("cafe", StringComparison.Ordinal);
        var end = Emoji.IndexOf(" are", StringComparison.Ordinal);
        var marks = new SpanMarks { Spans = [new SpanItem(1, start, end, 9, 2, null), new SpanItem(1, 0, 5, 9, null, null), new SpanItem(2, 0, 3, 9, null, null)] };

        var segments = marks.Segments(1, Emoji);

        string.Concat(segments.Select(s => s.Text)).ShouldBe(Emoji);
        segments.Where(s => s.Index is not null).Select(s => (s.Text, s.Index)).ShouldBe([("Pizza", 1), ("cafe\u0301 👩‍👩‍👧", 0)]);
    }

    [Fact]
    public void FromSelection_OverAMarkedSpan_IsRefusedWithAReason()
    {
        var project = new Project("p", "p", FeedbackKinds.Span);
        project.AddSpanLabel("wrong", "Wrong", "Not true");
        var view = Views.Of(TaskKind.Span, ["The sky is green today."], project: project);
        var marks = new SpanMarks { Spans = [new SpanItem(100, 11, 16, 0, 2, null)] };

        var (edit, error) = SpanEdit.FromSelection(marks, view, 100, 4, 13);
        var (fresh, none) = SpanEdit.FromSelection(marks, view, 100, 16, 23);

        edit.ShouldBeNull();
        error!.ShouldContain("overlaps a marked span");
        none.ShouldBeNull();
        (fresh!.Start, fresh.End, fresh.Severity).ShouldBe((17, 23, 2));
    }

    [Fact]
    public void SetFlag_OnThenOff_LeavesNoFlag()
    {
        var marks = new SpanMarks();

        marks.SetFlag(1, "unsafe", on: true);
        marks.SetFlag(1, "unsafe", on: true);
        marks.IsFlagged(1, "unsafe").ShouldBeTrue();
        marks.Flags.Count.ShouldBe(1);
        marks.SetFlag(1, "unsafe", on: false);

        marks.Flags.ShouldBeEmpty();
    }
}
