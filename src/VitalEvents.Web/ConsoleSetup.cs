using System.Globalization;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using VitalEvents.Domain;
using VitalEvents.Identity;
using VitalEvents.Pipeline;
using VitalEvents.Web.Account;
using VitalEvents.Web.Persons;
using VitalEvents.Web.Shared;

namespace VitalEvents.Web;

/// <summary>The web console: Blazor components rendered on the server (static rendering, enhanced navigation and forms), at <c>/</c>.</summary>
public static class ConsoleSetup
{
    public static IServiceCollection AddRegistryConsole(this IServiceCollection services, SignInMethods methods)
    {
        services.AddRazorComponents();
        services.AddLocalization();
        services.AddSingleton(methods);
        services.AddScoped<Submission>();
        services.Configure<RequestLocalizationOptions>(o =>
        {
            // The page's language is the person's choice (a cookie), Persian unless they chose English; formatting stays invariant,
            // so nothing the registry writes or stores depends on it.
            o.DefaultRequestCulture = new RequestCulture(CultureInfo.InvariantCulture, new CultureInfo(Language.Persian));
            o.SupportedCultures = [CultureInfo.InvariantCulture];
            o.SupportedUICultures = [.. Language.All.Select(l => new CultureInfo(l))];
            o.RequestCultureProviders = [new CookieRequestCultureProvider()];
            o.FallBackToParentUICultures = true;
        });
        return services;
    }

    /// <summary>The console's language for requests that are not the API's.</summary>
    public static void UseConsoleLanguage(this IApplicationBuilder app) => app.UseRequestLocalization();

    public static void MapRegistryConsole(this WebApplication app)
    {
        app.MapStaticAssets();
        var console = app.MapGroup("/console").ExcludeFromDescription();
        console.MapGet("/language", (string? to, string? returnUrl, HttpResponse response) =>
        {
            var language = Language.All.Contains(to) ? to! : Language.Persian;
            response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(CultureInfo.InvariantCulture, new CultureInfo(language))),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
            return TypedResults.LocalRedirect(ReturnUrls.Local(returnUrl));
        }).AllowAnonymous();
        // Who holds a national code, as a form shows it while the code is typed (recorded in the access log like any read).
        console.MapGet("/lookup/{nationalCode}", async Task<Results<RazorComponentResult<PersonBrief>, BadRequest>> (string nationalCode,
                IMediator mediator, RequestContext context, CancellationToken ct) =>
            {
                if (NationalCode.Validate(nationalCode, out var code) is not null) return TypedResults.BadRequest();
                context.Purpose ??= "registration: identify a party";
                var person = await mediator.Send(new GetPersonQuery(code), ct);
                return new RazorComponentResult<PersonBrief>(new { Person = person });
            })
            .RequireAuthorization(Roles.ReadPolicy);
        Documents.DocumentDownloads.Map(app);
        Statistics.StatisticsDownloads.Map(app);
        app.MapRazorComponents<App>();
    }
}
