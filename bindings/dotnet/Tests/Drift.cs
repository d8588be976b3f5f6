// Drift.cs -- the .NET binding's P/Invoke declarations and struct layouts against include/ccgw.h.
//
//   mono CcgwDrift.exe include/ccgw.h build/dotnet/Ccgw.Net.dll
//
// Parses the header (comments stripped): every CCGW_API function, every struct with its
// fields in order, every callback typedef. Reflects over the assembly: every [DllImport("ccgw")]
// method, every [StructLayout(Sequential)] *Native struct, every [UnmanagedFunctionPointer]
// delegate. Checks, and lists every mismatch:
//   - the two sets of functions are equal (nothing unbound, nothing bound that is gone);
//   - per function: Cdecl, argument count, each argument's and the return's C type against the
//     CLR type (int32_t <-> int, size_t <-> UIntPtr, bool <-> [MarshalAs(U1)] bool, struct
//     pointer <-> ref XNative or IntPtr, handle <-> SafeHandle, out-pointer <-> out, callback
//     <-> a delegate whose own signature matches the typedef, ...);
//   - per struct: field names in order and C types; then the real layout: a C program generated
//     from the header and compiled with cc prints sizeof and every offsetof, which must equal
//     Marshal.SizeOf and Marshal.OffsetOf.
// Prints "N passed, M failed" (one check per function, struct and callback) and exits 1 on any
// mismatch.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Ccgw.Tests
{
    internal static class Drift
    {
        private static int passed, failed;
        private static readonly List<string> problems = new List<string>();

        private static int Main(string[] args)
        {
            if (args.Length != 2)
            {
                Console.Error.WriteLine("usage: CcgwDrift.exe ccgw.h Ccgw.Net.dll");
                return 2;
            }
            string header = Regex.Replace(File.ReadAllText(args[0]), @"/\*.*?\*/|//[^\n]*", " ", RegexOptions.Singleline);
            Assembly asm = Assembly.LoadFrom(args[1]);

            var cFunctions = new Dictionary<string, CSig>();
            foreach (Match m in Regex.Matches(header, @"CCGW_API\s+([^;(]*?)\b(ccgw_\w+)\s*\(([^)]*)\)\s*;", RegexOptions.Singleline))
                cFunctions[m.Groups[2].Value] = new CSig(m.Groups[1].Value, m.Groups[3].Value);
            var cCallbacks = new Dictionary<string, CSig>();
            foreach (Match m in Regex.Matches(header, @"typedef\s+([^;()]*?)\(\s*\*\s*(\w+)\s*\)\s*\(([^)]*)\)\s*;", RegexOptions.Singleline))
                cCallbacks[m.Groups[2].Value] = new CSig(m.Groups[1].Value, m.Groups[3].Value);
            var cStructs = new Dictionary<string, List<KeyValuePair<string, string>>>();
            foreach (Match m in Regex.Matches(header, @"typedef\s+struct\s+(\w+)\s*\{(.*?)\}\s*\w+\s*;", RegexOptions.Singleline))
            {
                var fields = new List<KeyValuePair<string, string>>();
                foreach (string decl in m.Groups[2].Value.Split(';').Where(d => d.Trim().Length > 0))
                    fields.Add(SplitDecl(decl));
                cStructs[m.Groups[1].Value] = fields;
            }
            var opaque = new HashSet<string>(Regex.Matches(header, @"typedef\s+struct\s+(\w+)\s+\w+\s*;").Cast<Match>().Select(x => x.Groups[1].Value));
            if (cFunctions.Count == 0 || cStructs.Count == 0)
            {
                Console.Error.WriteLine("no functions or structs found in " + args[0]);
                return 2;
            }

            var ctx = new Ctx { Structs = cStructs, Opaque = opaque, Callbacks = cCallbacks, Assembly = asm };

            // Functions.
            var imports = asm.GetTypes()
                .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                .Where(mi => mi.GetCustomAttributes(typeof(DllImportAttribute), false).Cast<DllImportAttribute>().Any(a => a.Value == "ccgw"))
                .ToDictionary(mi => EntryPoint(mi));
            foreach (string name in cFunctions.Keys.Union(imports.Keys).OrderBy(n => n, StringComparer.Ordinal))
            {
                var errs = new List<string>();
                CSig c;
                MethodInfo mi;
                if (!cFunctions.TryGetValue(name, out c))
                    errs.Add("declared in .NET but not in the header");
                else if (!imports.TryGetValue(name, out mi))
                    errs.Add("in the header but not bound in .NET");
                else
                {
                    var dll = (DllImportAttribute)mi.GetCustomAttributes(typeof(DllImportAttribute), false)[0];
                    if (dll.CallingConvention != CallingConvention.Cdecl)
                        errs.Add("calling convention " + dll.CallingConvention + ", not Cdecl");
                    CheckSignature(ctx, c, mi.ReturnParameter, mi.GetParameters(), errs);
                }
                Report("function " + name, errs);
            }

            // Callback typedefs: a delegate with the same signature must exist for each.
            foreach (var kv in cCallbacks)
            {
                var errs = new List<string>();
                Type d = ctx.DelegateFor(kv.Key);
                if (d == null)
                    errs.Add("no [UnmanagedFunctionPointer] delegate for it");
                else
                    CheckDelegate(ctx, kv.Value, d, errs);
                Report("callback " + kv.Key, errs);
            }

            // Structs: fields, then the compiled layout.
            Dictionary<string, Dictionary<string, long>> layout = CLayout(args[0], cStructs);
            foreach (var kv in cStructs)
            {
                var errs = new List<string>();
                Type t = ctx.StructFor(kv.Key);
                if (t == null)
                {
                    errs.Add("no " + NetStructName(kv.Key) + " struct in the assembly");
                    Report("struct " + kv.Key, errs);
                    continue;
                }
                var sl = t.StructLayoutAttribute;
                if (sl == null || sl.Value != LayoutKind.Sequential)
                    errs.Add("not [StructLayout(LayoutKind.Sequential)]");
                FieldInfo[] fields = t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
                var cFields = kv.Value;
                if (fields.Length != cFields.Count)
                    errs.Add(fields.Length + " fields, the header has " + cFields.Count);
                for (int i = 0; i < Math.Min(fields.Length, cFields.Count); i++)
                {
                    FieldInfo f = fields[i];
                    string cName = cFields[i].Key, cType = cFields[i].Value;
                    if (f.Name != cName)
                        errs.Add("field " + i + " is " + f.Name + ", the header has " + cName);
                    string why = ctx.Compatible(cType, f.FieldType, MarshalAsOf(f), false, true);
                    if (why != null)
                        errs.Add("field " + cName + ": " + why);
                    long off;
                    if (layout[kv.Key].TryGetValue(cName, out off) && f.Name == cName)
                    {
                        long net = Marshal.OffsetOf(t, f.Name).ToInt64();
                        if (net != off)
                            errs.Add("field " + cName + " at offset " + net + " in .NET, " + off + " in C");
                    }
                }
                long size = Marshal.SizeOf(t);
                if (size != layout[kv.Key]["sizeof"])
                    errs.Add("size " + size + " in .NET, " + layout[kv.Key]["sizeof"] + " in C");
                Report("struct " + kv.Key, errs);
            }

            foreach (string p in problems)
                Console.WriteLine("DRIFT " + p);
            Console.WriteLine(passed + " passed, " + failed + " failed");
            return failed == 0 ? 0 : 1;
        }

        private static void Report(string what, List<string> errs)
        {
            if (errs.Count == 0)
            {
                passed++;
                return;
            }
            failed++;
            foreach (string e in errs)
                problems.Add(what + ": " + e);
        }

        private static string EntryPoint(MethodInfo mi)
        {
            var dll = (DllImportAttribute)mi.GetCustomAttributes(typeof(DllImportAttribute), false)[0];
            return string.IsNullOrEmpty(dll.EntryPoint) ? mi.Name : dll.EntryPoint;
        }

        private static MarshalAsAttribute MarshalAsOf(ICustomAttributeProvider p)
        {
            return p.GetCustomAttributes(typeof(MarshalAsAttribute), false).Cast<MarshalAsAttribute>().FirstOrDefault();
        }

        private static void CheckSignature(Ctx ctx, CSig c, ParameterInfo ret, ParameterInfo[] ps, List<string> errs)
        {
            string why = ctx.Compatible(c.Return, ret.ParameterType, MarshalAsOf(ret), true, false);
            if (why != null)
                errs.Add("return: " + why);
            if (ps.Length != c.Args.Count)
            {
                errs.Add(ps.Length + " arguments, the header has " + c.Args.Count);
                return;
            }
            for (int i = 0; i < ps.Length; i++)
            {
                why = ctx.Compatible(c.Args[i], ps[i].ParameterType, MarshalAsOf(ps[i]), false, false, ps[i].IsOut);
                if (why != null)
                    errs.Add("argument " + (i + 1) + " (" + ps[i].Name + "): " + why);
            }
        }

        private static void CheckDelegate(Ctx ctx, CSig c, Type d, List<string> errs)
        {
            var ufp = (UnmanagedFunctionPointerAttribute)d.GetCustomAttributes(typeof(UnmanagedFunctionPointerAttribute), false).FirstOrDefault();
            if (ufp == null || ufp.CallingConvention != CallingConvention.Cdecl)
                errs.Add(d.Name + " is not [UnmanagedFunctionPointer(Cdecl)]");
            MethodInfo invoke = d.GetMethod("Invoke");
            CheckSignature(ctx, c, invoke.ReturnParameter, invoke.GetParameters(), errs);
        }

        /// <summary>"const char *name" -> (name, normalized type).</summary>
        private static KeyValuePair<string, string> SplitDecl(string decl)
        {
            Match m = Regex.Match(decl.Trim(), @"^(.*?)(\w+)\s*$", RegexOptions.Singleline);
            return new KeyValuePair<string, string>(m.Groups[2].Value, Normalize(m.Groups[1].Value));
        }

        /// <summary>A C type as "[const ]base" plus one '*' per pointer level ("struct" and
        /// const after the base dropped; ccgw_status and ccgw_outcome are int32_t).</summary>
        internal static string Normalize(string cType)
        {
            string s = Regex.Replace(cType.Replace("*", " * "), @"\bstruct\b", " ");
            string[] tokens = s.Split(new[] { ' ', '\t', '\n', '\r' }, StringSplitOptions.RemoveEmptyEntries);
            int depth = tokens.Count(x => x == "*");
            int firstStar = Array.IndexOf(tokens, "*");
            bool baseConst = tokens.Take(firstStar < 0 ? tokens.Length : firstStar).Contains("const");
            string b = string.Join(" ", tokens.Where(x => x != "*" && x != "const"));
            if (b == "ccgw_status" || b == "ccgw_outcome")
                b = "int32_t";
            return (baseConst && depth > 0 ? "const " : "") + b + new string('*', depth);
        }

        /// <summary>sizeof and offsetof of every struct, from a C program built from the header.</summary>
        private static Dictionary<string, Dictionary<string, long>> CLayout(string headerPath, Dictionary<string, List<KeyValuePair<string, string>>> structs)
        {
            string dir = Path.Combine(Path.GetTempPath(), "ccgw-drift-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                var c = new StringBuilder();
                c.AppendLine("#include <stddef.h>\n#include <stdio.h>\n#include \"" + Path.GetFullPath(headerPath) + "\"\nint main(void) {");
                foreach (var kv in structs)
                {
                    c.AppendLine("    printf(\"" + kv.Key + " sizeof %zu\\n\", sizeof(struct " + kv.Key + "));");
                    foreach (var f in kv.Value)
                        c.AppendLine("    printf(\"" + kv.Key + " " + f.Key + " %zu\\n\", offsetof(struct " + kv.Key + ", " + f.Key + "));");
                }
                c.AppendLine("    return 0;\n}");
                string src = Path.Combine(dir, "layout.c"), exe = Path.Combine(dir, "layout");
                File.WriteAllText(src, c.ToString());
                string cc = Environment.GetEnvironmentVariable("CC") ?? "cc";
                Run(cc, "-std=c99 -Wall -Werror -o \"" + exe + "\" \"" + src + "\"");
                var result = structs.Keys.ToDictionary(k => k, k => new Dictionary<string, long>());
                foreach (string line in Run(exe, "").Split('\n').Where(l => l.Trim().Length > 0))
                {
                    string[] parts = line.Trim().Split(' ');
                    result[parts[0]][parts[1]] = long.Parse(parts[2]);
                }
                return result;
            }
            finally
            {
                try { Directory.Delete(dir, true); } catch (Exception) { }
            }
        }

        private static string Run(string file, string arguments)
        {
            var psi = new ProcessStartInfo(file, arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            using (Process p = Process.Start(psi))
            {
                string output = p.StandardOutput.ReadToEnd();
                string err = p.StandardError.ReadToEnd();
                p.WaitForExit();
                if (p.ExitCode != 0)
                    throw new Exception(file + " " + arguments + " failed: " + err);
                return output;
            }
        }

        internal sealed class CSig
        {
            internal readonly string Return;
            internal readonly List<string> Args = new List<string>();

            internal CSig(string ret, string parameters)
            {
                Return = Normalize(ret);
                string p = parameters.Trim();
                if (p.Length == 0 || p == "void")
                    return;
                foreach (string decl in p.Split(','))
                    Args.Add(SplitDecl(decl).Value);
            }
        }

        internal sealed class Ctx
        {
            internal Dictionary<string, List<KeyValuePair<string, string>>> Structs;
            internal HashSet<string> Opaque;
            internal Dictionary<string, CSig> Callbacks;
            internal Assembly Assembly;

            internal Type StructFor(string cName)
            {
                return Assembly.GetTypes().FirstOrDefault(t => t.IsValueType && t.Name == NetStructName(cName));
            }

            internal Type DelegateFor(string cName)
            {
                // A delegate whose [UnmanagedFunctionPointer] signature matches the typedef;
                // ccgw_log_callback -> LogCallbackNative, ccgw_userdata_free -> UserdataFreeNative.
                return Assembly.GetTypes().FirstOrDefault(t => typeof(Delegate).IsAssignableFrom(t) && t.Name == NetStructName(cName));
            }

            /// <summary>Null when the CLR type can carry the C type, else why not.</summary>
            internal string Compatible(string c, Type t, MarshalAsAttribute ma, bool isReturn, bool isField, bool isOut = false)
            {
                string clr = t.IsByRef ? (isOut ? "out " : "ref ") + t.GetElementType().Name : t.Name;
                Func<string> no = () => "C " + c + " is not " + clr;
                Type elem = t.IsByRef ? t.GetElementType() : null;
                switch (c)
                {
                    case "void": return t == typeof(void) ? null : no();
                    case "int32_t": return t == typeof(int) ? null : no();
                    case "uint32_t": return t == typeof(uint) ? null : no();
                    case "int64_t": return t == typeof(long) ? null : no();
                    case "uint64_t": return t == typeof(ulong) ? null : no();
                    case "size_t": return t == typeof(UIntPtr) ? null : no();
                    case "uint8_t": return t == typeof(byte) ? null : no();
                    case "bool":
                        if (t != typeof(bool))
                            return no();
                        return ma != null && ma.Value == UnmanagedType.U1 ? null : "C bool needs [MarshalAs(UnmanagedType.U1)]";
                    case "void*": return t == typeof(IntPtr) ? null : no();
                }
                if (Callbacks.ContainsKey(c))
                {
                    if (!typeof(Delegate).IsAssignableFrom(t))
                        return no();
                    var errs = new List<string>();
                    CheckDelegate(this, Callbacks[c], t, errs);
                    return errs.Count == 0 ? null : string.Join("; ", errs);
                }
                int depth = c.Count(ch => ch == '*');
                string baseType = c.TrimEnd('*').Replace("const ", "");
                if (depth == 0)
                    return no();
                // Strings: borrowed in (byte[] with NUL, or IntPtr), returned or in a struct as IntPtr.
                if (baseType == "char" && depth == 1)
                {
                    if (t == typeof(IntPtr))
                        return null;
                    return !isReturn && !isField && t == typeof(byte[]) ? null : no();
                }
                if (isField || isReturn)
                    return t == typeof(IntPtr) ? null : no(); // pointers in structs and results
                if (t == typeof(IntPtr))
                    return null; // any pointer may be passed as IntPtr
                if (depth == 1 && Opaque.Contains(baseType))
                    return typeof(SafeHandle).IsAssignableFrom(t) ? null : no();
                if (depth == 1 && Structs.ContainsKey(baseType))
                    return elem != null && !isOut && elem == StructFor(baseType) ? null : no();
                if (depth == 1 && (baseType == "int64_t"))
                    return t == typeof(long[]) ? null : no();
                if (depth == 1 && baseType == "int32_t" && isOut)
                    return elem == typeof(int) ? null : no(); // int32_t *out: out int
                if (depth == 2 && elem != null && isOut)
                {
                    // T** out-parameters: a handle or a pointer the library fills in.
                    if (Opaque.Contains(baseType))
                        return typeof(SafeHandle).IsAssignableFrom(elem) || elem == typeof(IntPtr) ? null : no();
                    return elem == typeof(IntPtr) ? null : no();
                }
                return no();
            }
        }

        /// <summary>ccgw_session_options -> SessionOptionsNative.</summary>
        internal static string NetStructName(string cName)
        {
            string s = cName.StartsWith("ccgw_") ? cName.Substring(5) : cName;
            return string.Concat(s.Split('_').Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w.Substring(1))) + "Native";
        }
    }
}
