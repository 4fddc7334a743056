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
        _ => value.GetRawText(),
    };
}
