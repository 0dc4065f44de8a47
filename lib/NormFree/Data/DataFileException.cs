namespace NormFree.Data;

/// <summary>A data file is missing, truncated or not in the format expected; the message names the file and what
/// was expected.</summary>
public sealed class DataFileException(string message, Exception? inner = null) : IOException(message, inner);
