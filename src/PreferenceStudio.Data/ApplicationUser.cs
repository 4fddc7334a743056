using Microsoft.AspNetCore.Identity;

namespace PreferenceStudio.Data;

public sealed class ApplicationUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
}
