using MultiCluster.Core.Fleet;

namespace MultiCluster.Web.Components.Pages.Pods;

/// <summary>What the Pods table shows: a page of rows, how many match in all, the page and its size, the order, and what to say when no row shows.</summary>
public sealed record PodTableState(IReadOnlyList<PodSummary> Rows, int Total, int Page, int PageSize, PodSort Sort, bool Descending, string NoRows)
{
    public static readonly PodTableState Nothing = new([], 0, 0, 50, PodSort.Name, false, "");

    public int LastPage => LastPageOf(Total, PageSize);

    public string Range => Total == 0 ? "0 of 0" : $"{(Page * PageSize) + 1:N0}-{Math.Min(Total, (Page + 1) * PageSize):N0} of {Total:N0}";

    public static int LastPageOf(int total, int pageSize) => Math.Max(0, (total - 1) / pageSize);
}
