using MudBlazor;

namespace PreferenceStudio.Web.Components.Layout;

/// <summary>One theme for the app, light and dark. The system font stack: no web font is fetched from elsewhere.</summary>
public static class AppTheme
{
    public static readonly MudTheme Theme = new()
    {
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"] },
        },
    };
}
