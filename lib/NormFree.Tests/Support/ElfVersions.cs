using System.Buffers.Binary;
using System.Text;

namespace NormFree.Tests;

/// <summary>The symbol versions an ELF64 little-endian shared library requires (.gnu.version_r, with each entry's
/// flags) and defines (.gnu.version_d), read from the section headers — what <c>readelf -V</c> prints, without
/// needing binutils.</summary>
public sealed class ElfVersions
{
    const uint SHT_GNU_verdef = 0x6ffffffd;
    const uint SHT_GNU_verneed = 0x6ffffffe;
    public const ushort VER_FLG_WEAK = 0x2;

    /// <summary>Required versions: (library that must provide it, version name, vna_flags).</summary>
    public IReadOnlyList<(string File, string Version, ushort Flags)> Required { get; }

    /// <summary>Versions the library defines itself (its own soname's base version included).</summary>
    public IReadOnlySet<string> Defined { get; }

    ElfVersions(List<(string, string, ushort)> required, HashSet<string> defined)
    {
        Required = required;
        Defined = defined;
    }

    public static ElfVersions Read(string path)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException($"{path}: not a little-endian ELF64 file");
        ulong U64(long at) => BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(checked((int)at)));
        uint U32(long at) => BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(checked((int)at)));
        ushort U16(long at) => BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(checked((int)at)));
        string Str(long at)
        {
            var end = Array.IndexOf(elf, (byte)0, checked((int)at));
            return Encoding.ASCII.GetString(elf, (int)at, end - (int)at);
        }

        var shoff = (long)U64(0x28);
        int shentsize = U16(0x3A), shnum = U16(0x3C);
        var required = new List<(string, string, ushort)>();
        var defined = new HashSet<string>();
        for (var s = 0; s < shnum; s++)
        {
            var sh = shoff + (long)s * shentsize;
            var type = U32(sh + 4);
            if (type != SHT_GNU_verneed && type != SHT_GNU_verdef) continue;
            var offset = (long)U64(sh + 0x18);
            var strtab = (long)U64(shoff + (long)U32(sh + 0x28) * shentsize + 0x18);
            var count = U32(sh + 0x2C); // sh_info: number of entries
            var entry = offset;
            for (var n = 0; n < count; n++)
            {
                if (type == SHT_GNU_verneed)
                {
                    // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32
                    var file = Str(strtab + U32(entry + 4));
                    var aux = entry + U32(entry + 8);
                    for (var a = 0; a < U16(entry + 2); a++)
                    {
                        // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32
                        required.Add((file, Str(strtab + U32(aux + 8)), U16(aux + 4)));
                        aux += U32(aux + 12);
                    }
                    entry += U32(entry + 12);
                }
                else
                {
                    // Elf64_Verdef: vd_version u16, vd_flags u16, vd_ndx u16, vd_cnt u16, vd_hash u32, vd_aux u32, vd_next u32;
                    // its first Elf64_Verdaux (vda_name u32, vda_next u32) names the version.
                    var aux = entry + U32(entry + 12);
                    defined.Add(Str(strtab + U32(aux)));
                    entry += U32(entry + 16);
                }
            }
        }
        return new ElfVersions(required, defined);
    }

    /// <summary>The flags of the requirement of <paramref name="version"/>, or null when the library does not require it.</summary>
    public ushort? FlagsOf(string version)
    {
        foreach (var (_, v, flags) in Required)
            if (v == version) return flags;
        return null;
    }
}
