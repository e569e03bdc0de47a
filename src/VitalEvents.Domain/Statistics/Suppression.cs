namespace VitalEvents.Domain.Statistics;

/// <summary>Which entries of a two-way table with its margins are withheld.</summary>
/// <remarks><paramref name="TotalsAdded"/> counts the totals withheld only because no cell could protect a line: those may differ from
/// the same totals in another table.</remarks>
public sealed record SuppressedTable(bool[,] Cells, bool[] RowTotals, bool[] ColumnTotals, bool Total, int TotalsAdded)
{
    /// <summary>Entries withheld for being small themselves (primary) and to protect them (secondary).</summary>
    public int Count => Cells.Cast<bool>().Count(s => s) + RowTotals.Count(s => s) + ColumnTotals.Count(s => s) + (Total ? 1 : 0);
}

/// <summary>
/// Small-count suppression of a published table (docs/statistics.md, "Publication"). The table is taken with its margins as one
/// grid: each row and each column, its total included, is an equation a reader could solve for one unknown. Primary: every count
/// from 1 to below the threshold is withheld, cells and totals alike. Secondary: while a line has exactly one withheld entry, one
/// more of its non-zero entries is withheld: a cell, the smallest, preferring one whose other line already has a withheld entry and
/// never one whose other line could then be protected only by withholding its total; a total only where no cell will do.
/// </summary>
/// <remarks>
/// The margins are settled first, each as a line of its own (the row totals with the grand total, the column totals with the grand
/// total), from their values alone: the same margins published in other tables of the same events (every table of births by
/// province shares the provinces' totals) are withheld the same way everywhere, so that no table gives away another's. A table
/// whose cells cannot be protected without withholding one more total does so; docs/statistics.md says what that leaves open.
/// </remarks>
public static class Suppression
{
    public static SuppressedTable Protect(long[,] cells, int threshold)
    {
        int rows = cells.GetLength(0), columns = cells.GetLength(1);
        // The grid: cells, each row's total in the last column, each column's total in the last row, the grand total in the corner.
        var grid = new long[rows + 1, columns + 1];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
            {
                grid[r, c] = cells[r, c];
                grid[r, columns] += cells[r, c];
                grid[rows, c] += cells[r, c];
                grid[rows, columns] += cells[r, c];
            }
        var withheld = new bool[rows + 1, columns + 1];
        for (var r = 0; r <= rows; r++)
            for (var c = 0; c <= columns; c++)
                withheld[r, c] = Small(grid[r, c], threshold);

        // The margins first, on their own; then every line, the margins' lines included.
        while (Complement(rows, isRow: true, byValue: true) | Complement(columns, isRow: false, byValue: true)) { }
        var settled = Enumerable.Range(0, rows + 1).Count(r => withheld[r, columns]) + Enumerable.Range(0, columns).Count(c => withheld[rows, c]);
        for (var changed = true; changed;)
        {
            changed = false;
            for (var r = 0; r <= rows; r++) changed |= Complement(r, isRow: true);
            for (var c = 0; c <= columns; c++) changed |= Complement(c, isRow: false);
        }

        var cellsWithheld = new bool[rows, columns];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
                cellsWithheld[r, c] = withheld[r, c];
        return new SuppressedTable(cellsWithheld, [.. Enumerable.Range(0, rows).Select(r => withheld[r, columns])],
            [.. Enumerable.Range(0, columns).Select(c => withheld[rows, c])], withheld[rows, columns],
            Enumerable.Range(0, rows + 1).Count(r => withheld[r, columns]) + Enumerable.Range(0, columns).Count(c => withheld[rows, c]) - settled);

        // The grid positions of a row's or a column's entries, its total last.
        List<(int R, int C)> Line(int index, bool isRow) => isRow
            ? [.. Enumerable.Range(0, columns + 1).Select(c => (index, c))]
            : [.. Enumerable.Range(0, rows + 1).Select(r => (r, index))];

        // Withholds one more entry of a line that has exactly one withheld; true if it did. By value alone: the smallest, whatever
        // the rest of the table holds (for the margins, which other tables share).
        bool Complement(int index, bool isRow, bool byValue = false)
        {
            var line = Line(index, isRow);
            if (line.Count(p => withheld[p.R, p.C]) != 1) return false;
            var candidates = line.Where(p => !withheld[p.R, p.C] && grid[p.R, p.C] > 0).ToList();
            if (candidates.Count == 0) return false;
            var best = byValue ? candidates.OrderBy(p => IsTotal(p) && p.R == rows && p.C == columns ? 1 : 0).ThenBy(p => grid[p.R, p.C]).ThenBy(p => p.R + p.C).First() : candidates
                .OrderBy(p => IsTotal(p) ? 2 : NeedsTotal(p, isRow) ? 1 : 0)
                .ThenBy(p => OtherLineWithheld(p, isRow) ? 0 : 1)
                .ThenBy(p => grid[p.R, p.C]).ThenBy(p => p.R).ThenBy(p => p.C).First();
            withheld[best.R, best.C] = true;
            return true;
        }

        bool IsTotal((int R, int C) p) => p.R == rows || p.C == columns;

        // The entry's other line (its column, for an entry of a row), the entry left out.
        IEnumerable<(int R, int C)> Other((int R, int C) p, bool isRow) => Line(isRow ? p.C : p.R, !isRow).Where(q => q != p);

        bool OtherLineWithheld((int R, int C) p, bool isRow) => Other(p, isRow).Any(q => withheld[q.R, q.C]);

        // Withholding the entry would leave its other line with one withheld entry and no cell to add to it, only its total.
        bool NeedsTotal((int R, int C) p, bool isRow) =>
            !OtherLineWithheld(p, isRow) && Other(p, isRow).All(q => IsTotal(q) || grid[q.R, q.C] == 0);
    }

    public static bool Small(long count, int threshold) => count > 0 && count < threshold;
}
