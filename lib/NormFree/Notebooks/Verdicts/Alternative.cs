namespace NormFree.Notebooks;

/// <summary>Which departure from the null hypothesis a test looks for, with scipy's meaning of the words: for two
/// samples a and b, <see cref="Less"/> tests whether a's mean (or a 2×2 table's odds ratio) is below b's.</summary>
public enum Alternative { TwoSided, Less, Greater }
