using System.Globalization;
using System.Text.Json;

namespace PreferenceStudio.Web.Loop;

/// <summary>A round's extra measures (its MetricsJson) as rows of a table: each top-level key with its value as text.</summary>
public static class MetricEntries
{
    public static IReadOnlyList<(string Key, string Value)> Of(string metricsJson)
    {
        try
        {
            using var json = JsonDocument.Parse(metricsJson);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
                return [];
            return json.RootElement.EnumerateObject().Select(p => (p.Name, Text(p.Value))).ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble().ToString("0.####", CultureInfo.InvariantCulture),
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Object when WinRateText(value) is { } winRate => winRate,
        JsonValueKind.Object => string.Join(", ", value.EnumerateObject().Select(p => $"{p.Name} {Text(p.Value)}")),
        _ => value.GetRawText(),
    };

    /// <summary>A win-rate as the evaluation stage records it (wins, judged, share, low, high), as a person reads it.</summary>
    private static string? WinRateText(JsonElement value)
    {
        double? Number(string name) =>
            value.TryGetProperty(name, out var n) && n.ValueKind == JsonValueKind.Number ? n.GetDouble() : null;
        if (Number("wins") is not { } wins || Number("judged") is not { } judged || Number("share") is not { } share
            || Number("low") is not { } low || Number("high") is not { } high)
            return null;
        return string.Create(CultureInfo.InvariantCulture,
            $"{share:P1}: {wins:0.#} of {judged:0} won (ties count half), 95 % interval [{low:P1}, {high:P1}]");
    }
}
