using ModelBuild.Core.Diagnostics;
using ModelBuild.Core.Graph;
using ModelBuild.Core.Ir;
using ModelBuild.Core.Reference;
using ModelBuild.Core.Weights;

namespace ModelBuild.Core.Verification;

/// <summary>Reads an IR back with <see cref="IrReader"/> and runs it with the <see cref="ReferenceEvaluator"/>.</summary>
public sealed class ReferenceIrRunner : IIrRunner
{
    public static ReferenceIrRunner Instance { get; } = new();

    public IIrSession Load(string xmlPath)
    {
        var files = new MappedFileSet();
        try
        {
            return new Session(IrReader.Read(xmlPath, files), files);
        }
        catch (ModelBuildException error)
        {
            files.Dispose();
            throw new IrRunException(VerificationOutcome.LoadFailed, error.ToString());
        }
        catch
        {
            files.Dispose();
            throw;
        }
    }

    private sealed class Session(Model model, MappedFileSet files) : IIrSession
    {
        public IReadOnlyList<IrPort> Inputs { get; } =
            model.Parameters.Select(p => new IrPort(Names(p.Name, p.Outputs[0].Names), p.Outputs[0].Type)).ToList();

        public IReadOnlyList<IrPort> Outputs { get; } =
            model.Results.Select(r => new IrPort(Names(null, r.Input(0).Names), r.Input(0).Type)).ToList();

        public IReadOnlyList<Tensor> Run(IReadOnlyList<Tensor> inputs)
        {
            try
            {
                return ReferenceEvaluator.Run(model, inputs);
            }
            catch (ModelBuildException error)
            {
                throw new IrRunException(VerificationOutcome.RunFailed, error.ToString());
            }
        }

        public void Dispose() => files.Dispose();

        private static HashSet<string> Names(string? friendlyName, IEnumerable<string> tensorNames)
        {
            var names = new HashSet<string>(tensorNames, StringComparer.Ordinal);
            if (friendlyName is not null)
            {
                names.Add(friendlyName);
            }

            return names;
        }
    }
}
