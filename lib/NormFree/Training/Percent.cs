using System.Globalization;

namespace NormFree.Training;

/// <summary>Fractions shown as percentages the same way in every line the training code prints ("91.23%").</summary>
internal static class Percent
{
    public static string Of(double fraction) => (100 * fraction).ToString("F2", CultureInfo.InvariantCulture) + "%";
}
