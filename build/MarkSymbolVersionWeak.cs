using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>Marks one symbol-version requirement of an ELF64 shared library weak (VER_FLG_WEAK), when the host's
/// libstdc++ does not define that version. See GlibcxxWeak.targets for why.</summary>
public sealed class MarkSymbolVersionWeak : Task
{
    [Required] public string Library { get; set; } = "";
    [Required] public string Version { get; set; } = "";
    [Output] public bool Patched { get; set; }

    const uint SHT_GNU_verneed = 0x6ffffffe;
    const ushort VER_FLG_WEAK = 0x2;
    static readonly string[] LibstdcxxLocations =
    [
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
    ];

    public override bool Execute()
    {
        var host = LibstdcxxLocations.FirstOrDefault(File.Exists);
        if (host is null || Contains(File.ReadAllBytes(host), Encoding.ASCII.GetBytes(Version + "\0")))
            return true; // the host defines the version (or is not a glibc system we know): nothing to do
        var elf = File.ReadAllBytes(Library);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1)
        {
            Log.LogError($"{Library}: not a little-endian ELF64 file");
            return false;
        }
        var shoff = (long)BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A), shnum = BitConverter.ToUInt16(elf, 0x3C);
        for (var s = 0; s < shnum; s++)
        {
            var sh = shoff + s * shentsize;
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != SHT_GNU_verneed) continue;
            var offset = (long)BitConverter.ToUInt64(elf, (int)sh + 0x18);
            var link = BitConverter.ToUInt32(elf, (int)sh + 0x28);
            var count = BitConverter.ToUInt32(elf, (int)sh + 0x2C);
            var strtab = (long)BitConverter.ToUInt64(elf, (int)(shoff + link * shentsize) + 0x18);
            var changed = false;
            var need = offset;
            for (var n = 0; n < count; n++)
            {
                // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32
                int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                var aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (var a = 0; a < auxCount; a++)
                {
                    // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32
                    var name = ReadString(elf, strtab + BitConverter.ToUInt32(elf, (int)aux + 8));
                    var flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                    if (name == Version && (flags & VER_FLG_WEAK) == 0)
                    {
                        BitConverter.GetBytes((ushort)(flags | VER_FLG_WEAK)).CopyTo(elf, (int)aux + 4);
                        changed = true;
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                need += BitConverter.ToUInt32(elf, (int)need + 12);
            }
            if (!changed) return true;
            // A new file rather than an in-place write: the output copy may be a hard link into the NuGet cache.
            var temporary = Library + ".weak";
            File.WriteAllBytes(temporary, elf);
            File.Delete(Library);
            File.Move(temporary, Library);
            Patched = true;
            return true;
        }
        return true;
    }

    static string ReadString(byte[] bytes, long at)
    {
        var end = Array.IndexOf(bytes, (byte)0, (int)at);
        return Encoding.ASCII.GetString(bytes, (int)at, end - (int)at);
    }

    static bool Contains(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Length; i++)
        {
            var j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }
}
