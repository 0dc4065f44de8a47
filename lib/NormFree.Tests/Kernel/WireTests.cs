using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NormFree.Kernel.Protocol;

namespace NormFree.Tests.Kernel;

public class WireTests
{
    static Message Sample() => new([Encoding.UTF8.GetBytes("client-1")], Message.NewHeader("execute_request", "s"),
        new JsonObject(), new JsonObject(), new JsonObject { ["code"] = "1 + 1" }, []);

    [Fact]
    public void Frames_are_identities_delimiter_hmac_then_the_four_json_parts()
    {
        var frames = new Wire("secret").Encode(Sample());
        Assert.Equal("client-1", Encoding.UTF8.GetString(frames[0]));
        Assert.Equal("<IDS|MSG>", Encoding.UTF8.GetString(frames[1]));
        var expected = HMACSHA256.HashData("secret"u8, frames.Skip(3).Take(4).SelectMany(f => f).ToArray());
        Assert.Equal(Convert.ToHexStringLower(expected), Encoding.ASCII.GetString(frames[2]));
        Assert.Equal(7, frames.Count);
    }

    [Fact]
    public void Decode_round_trips_and_keeps_the_identities()
    {
        var wire = new Wire("secret");
        var decoded = wire.Decode(wire.Encode(Sample()));
        Assert.Equal("execute_request", decoded.Type);
        Assert.Equal("1 + 1", decoded.Text("code"));
        Assert.Equal("client-1", Encoding.UTF8.GetString(decoded.Identities.Single()));
    }

    [Fact]
    public void Tampered_or_wrongly_keyed_messages_are_rejected()
    {
        var frames = new Wire("secret").Encode(Sample());
        frames[6] = Encoding.UTF8.GetBytes("{\"code\": \"rm\"}");
        Assert.Throws<InvalidDataException>(() => new Wire("secret").Decode(frames));
        Assert.Throws<InvalidDataException>(() => new Wire("other").Decode(new Wire("secret").Encode(Sample())));
        Assert.Throws<InvalidDataException>(() => new Wire("secret").Decode([Encoding.UTF8.GetBytes("<IDS|MSG>")]));
    }

    [Fact]
    public void An_empty_key_means_unsigned_messages()
    {
        var frames = new Wire("").Encode(Sample());
        Assert.Empty(frames[2]);
        Assert.Equal("1 + 1", new Wire("").Decode(frames).Text("code"));
    }
}
