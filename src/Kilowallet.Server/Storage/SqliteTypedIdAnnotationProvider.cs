#pragma warning disable EF1001 // SqliteAnnotationProvider is internal API; see the summary for why we extend it.
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Sqlite.Metadata.Internal;

namespace Kilowallet.Server.Storage;

/// <summary>
/// Makes SQLite primary keys of typed ids (value-converted to a 64-bit integer) AUTOINCREMENT, as
/// plain integer keys are, so generated ids are never reused after a delete. EF Core only
/// recognises keys whose CLR type is an integer; without this the migration snapshot (which sees
/// <c>long</c>) and the model (which sees <c>MeterId</c>) disagree and every migration repeats
/// itself (dotnet/efcore#30699).
/// </summary>
public sealed class SqliteTypedIdAnnotationProvider(RelationalAnnotationProviderDependencies dependencies)
    : SqliteAnnotationProvider(dependencies)
{
    public override IEnumerable<IAnnotation> For(IColumn column, bool designTime)
    {
        ArgumentNullException.ThrowIfNull(column);
        var annotations = base.For(column, designTime).ToList();
        if (designTime
            && annotations.TrueForAll(a => a.Name != SqliteAnnotationNames.Autoincrement)
            && column.Table.PrimaryKey is { Columns: [var keyColumn] }
            && keyColumn == column
            && column.PropertyMappings is [{ Property: { ValueGenerated: ValueGenerated.OnAdd } property }, ..]
            && property.GetTypeMapping().Converter?.ProviderClrType == typeof(long)
            && !property.IsForeignKey())
        {
            annotations.Add(new Annotation(SqliteAnnotationNames.Autoincrement, true));
        }

        return annotations;
    }
}
