using System.Text;

namespace SpendOptimizer.Api.Tests.Readme;

/// <summary>A command of a ```bash block: its text, the line it starts on and the comment ending its last line.</summary>
public sealed record ShellCommand(string Text, int Line, string? Comment);

/// <summary>
/// Just enough of the shell to run the README's curl lines: commands split at unquoted newlines (a trailing backslash
/// continues a line), words split at unquoted blanks, 'single' quotes literal, "double" quotes and bare words
/// expanding $NAME and ${NAME}. Anything else that changes meaning in a shell (pipes, redirections, ;, &amp;, $( ),
/// backticks, $'…') is refused, so a README command that needs a real shell cannot slip in unnoticed.
/// </summary>
public static class ShellCommands
{
    /// <summary>Splits a block into commands, tracking only quotes and comments (commands other than curl stay unchecked).</summary>
    public static List<ShellCommand> Split(string block, int firstLine)
    {
        var commands = new List<ShellCommand>();
        var text = new StringBuilder();
        string? comment = null;
        int line = firstLine, start = firstLine;
        var inWord = false;
        void End()
        {
            if (text.ToString().Trim() is { Length: > 0 } t) commands.Add(new ShellCommand(t, start, comment));
            text.Clear();
            comment = null;
            inWord = false;
        }
        for (var i = 0; i < block.Length; i++)
        {
            var c = block[i];
            if (text.ToString().Trim().Length == 0) start = line;
            switch (c)
            {
                case '\\' when i + 1 < block.Length:
                    if (block[i + 1] == '\n') line++;
                    text.Append(c).Append(block[++i]);
                    inWord = block[i] != '\n';
                    break;
                case '\'' or '"':
                    var close = QuoteEnd(block, i);
                    var quoted = block[i..(close + 1)];
                    line += quoted.Count(ch => ch == '\n');
                    text.Append(quoted);
                    i = close;
                    inWord = true;
                    break;
                case '#' when !inWord:
                    var eol = block.IndexOf('\n', i);
                    if (eol < 0) eol = block.Length;
                    comment = block[(i + 1)..eol].Trim();
                    i = eol - 1;
                    break;
                case '\n':
                    End();
                    line++;
                    break;
                default:
                    text.Append(c);
                    inWord = c is not (' ' or '\t');
                    break;
            }
        }
        End();
        return commands;
    }

    /// <summary>The words of one command, variables expanded by <paramref name="variable"/>.</summary>
    public static List<string> Words(string command, Func<string, string> variable)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            switch (c)
            {
                case ' ' or '\t' or '\n':
                    if (inWord) words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                    break;
                case '\\' when i + 1 < command.Length && command[i + 1] == '\n':
                    i++;
                    break;
                case '\\' when i + 1 < command.Length:
                    word.Append(command[++i]);
                    inWord = true;
                    break;
                case '\'':
                    var close = QuoteEnd(command, i);
                    word.Append(command, i + 1, close - i - 1);
                    i = close;
                    inWord = true;
                    break;
                case '"':
                    var end = QuoteEnd(command, i);
                    for (var j = i + 1; j < end; j++)
                    {
                        if (command[j] == '\\' && j + 1 < end && command[j + 1] is '"' or '\\' or '$' or '`') word.Append(command[++j]);
                        else if (command[j] == '$') j = Expand(command, j, word, variable);
                        else if (command[j] == '`') throw Unsupported(command, "backticks");
                        else word.Append(command[j]);
                    }
                    i = end;
                    inWord = true;
                    break;
                case '$':
                    i = Expand(command, i, word, variable);
                    inWord = true;
                    break;
                case '|' or ';' or '&' or '<' or '>' or '(' or ')' or '`':
                    throw Unsupported(command, $"'{c}'");
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }
        if (inWord) words.Add(word.ToString());
        return words;
    }

    /// <summary>Appends the value of $NAME or ${NAME} at <paramref name="at"/>; returns the index of its last character.</summary>
    private static int Expand(string s, int at, StringBuilder into, Func<string, string> variable)
    {
        var braced = at + 1 < s.Length && s[at + 1] == '{';
        var from = at + (braced ? 2 : 1);
        var to = from;
        while (to < s.Length && (char.IsAsciiLetterOrDigit(s[to]) || s[to] == '_')) to++;
        if (to == from || char.IsAsciiDigit(s[from])) throw Unsupported(s, $"'${(from < s.Length ? s[from] : ' ')}' (only $NAME and ${{NAME}})");
        if (braced && (to >= s.Length || s[to] != '}')) throw Unsupported(s, "${…} other than ${NAME}");
        into.Append(variable(s[from..to]));
        return braced ? to : to - 1;
    }

    private static int QuoteEnd(string s, int open)
    {
        for (var i = open + 1; i < s.Length; i++)
        {
            if (s[open] == '"' && s[i] == '\\') i++;
            else if (s[i] == s[open]) return i;
        }
        throw new FormatException($"unclosed {s[open]} in: {s}");
    }

    private static NotSupportedException Unsupported(string command, string what) =>
        new($"{what} is not supported in a README command (ShellCommands): {command}");
}
