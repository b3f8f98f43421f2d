using System.CommandLine;
using System.Reflection;

namespace ModelBuild.Tool;

/// <summary>
/// <c>modelconvert explain MBnnnn</c>: what a diagnostic code means and what to do about it. The text is
/// docs/diagnostics.md, embedded in the tool, so it works wherever the tool is installed.
/// </summary>
public static class ExplainCommand
{
    public static Command Create()
    {
        var codes = new Argument<string[]>("CODE") { Description = "One or more diagnostic codes, as errors print them (MB1002).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("explain", "Explains diagnostic codes (MBnnnn): what each means and what to do.") { codes };
        command.SetAction(result => Run(result.GetValue(codes)!));
        return command;
    }

    private static int Run(string[] codes)
    {
        var sections = DiagnosticSections.Read();
        var unknown = codes.Where(code => !sections.ContainsKey(code.Trim())).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"[ ERROR ] Unknown code {string.Join(", ", unknown)}. Codes: {string.Join(", ", sections.Keys)}.");
            return ExitCodes.UsageError;
        }

        Console.WriteLine(string.Join("\n\n", codes.Select(code => sections[code.Trim()])));
        return ExitCodes.Success;
    }

    /// <summary>docs/diagnostics.md cut at its "### MBnnnn" headings: each code's text, under its heading and its group's.</summary>
    private static class DiagnosticSections
    {
        public static Dictionary<string, string> Read()
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("diagnostics.md")
                ?? throw new InvalidOperationException("The tool was built without docs/diagnostics.md.");
            using var reader = new StreamReader(stream);
            var sections = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var group = "";
            string? code = null;
            var text = new List<string>();
            for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
            {
                if (line.StartsWith('#'))
                {
                    Close();
                    if (line.StartsWith("### ", StringComparison.Ordinal))
                    {
                        code = line[4..].Trim();
                    }
                    else if (line.StartsWith("## ", StringComparison.Ordinal))
                    {
                        group = line[3..].Trim();
                    }
                }
                else if (code is not null)
                {
                    text.Add(line);
                }
            }

            Close();
            return sections;

            void Close()
            {
                if (code is not null)
                {
                    sections[code] = $"{code} ({group})\n{string.Join('\n', text).Trim()}";
                }

                code = null;
                text.Clear();
            }
        }
    }
}
