using VitalEvents.Domain.Statistics;

namespace VitalEvents.Tests.Statistics;

/// <summary>Small-count suppression: primary and secondary, on random tables, and margins withheld alike in every table that shares them.</summary>
public sealed class SuppressionTests
{
    private const int Threshold = 5;

    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 40)];

    /// <summary>A random table of mostly small counts, with zeros, in the shape of a province-by-category table.</summary>
    private static long[,] RandomTable(Random random, int rows, int columns)
    {
        var table = new long[rows, columns];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
                table[r, c] = random.Next(10) switch { < 3 => 0, < 7 => random.Next(1, Threshold), _ => random.Next(Threshold, 60) };
        return table;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_small_count_is_withheld_and_no_row_or_column_is_left_with_one_withheld_entry_its_total_would_give_away(int seed)
    {
        var random = new Random(seed);
        var table = RandomTable(random, random.Next(1, 12), random.Next(1, 9));
        var (rows, columns) = (table.GetLength(0), table.GetLength(1));
        var result = Suppression.Protect(table, Threshold);

        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
                if (table[r, c] is > 0 and < Threshold) result.Cells[r, c].Should().BeTrue($"cell ({r}, {c}) = {table[r, c]} is small");
        for (var r = 0; r < rows; r++)
        {
            var total = Enumerable.Range(0, columns).Sum(c => table[r, c]);
            if (total is > 0 and < Threshold) result.RowTotals[r].Should().BeTrue();
            var withheld = Enumerable.Range(0, columns).Count(c => result.Cells[r, c]) + (result.RowTotals[r] ? 1 : 0);
            withheld.Should().NotBe(1, $"row {r} would give its one withheld entry away");
        }
        for (var c = 0; c < columns; c++)
        {
            var withheld = Enumerable.Range(0, rows).Count(r => result.Cells[r, c]) + (result.ColumnTotals[c] ? 1 : 0);
            withheld.Should().NotBe(1, $"column {c} would give its one withheld entry away");
        }
        var margins = result.RowTotals.Count(w => w) + (result.Total ? 1 : 0);
        margins.Should().NotBe(1, "the row totals with the grand total would give one away");
        (result.ColumnTotals.Count(w => w) + (result.Total ? 1 : 0)).Should().NotBe(1);
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
                if (table[r, c] == 0) result.Cells[r, c].Should().BeFalse("a zero is published: withholding it hides nothing");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Two_tables_with_the_same_row_totals_withhold_the_same_totals(int seed)
    {
        var random = new Random(seed);
        var a = RandomTable(random, 8, 4);
        // Another breakdown of the same rows: each row's total split differently over three columns.
        var b = new long[8, 3];
        for (var r = 0; r < 8; r++)
        {
            var total = Enumerable.Range(0, 4).Sum(c => a[r, c]);
            var first = random.NextInt64(total + 1);
            var second = random.NextInt64(total - first + 1);
            (b[r, 0], b[r, 1], b[r, 2]) = (first, second, total - first - second);
        }
        var ra = Suppression.Protect(a, Threshold);
        var rb = Suppression.Protect(b, Threshold);
        ra.Total.Should().Be(rb.Total);
        if (ra.TotalsAdded == 0 && rb.TotalsAdded == 0)
            ra.RowTotals.Should().Equal(rb.RowTotals, "the provinces' totals are the same numbers in both tables");
        else
            (ra.RowTotals.Zip(rb.RowTotals).Count(p => p.First != p.Second)).Should().BeLessThanOrEqualTo(ra.TotalsAdded + rb.TotalsAdded,
                "the totals differ only where a table had to withhold one more to protect its cells");
    }

    [Fact]
    public void A_table_of_large_counts_withholds_nothing_and_a_threshold_of_one_withholds_nothing()
    {
        Suppression.Protect(new long[,] { { 10, 20 }, { 30, 0 } }, Threshold).Count.Should().Be(0);
        Suppression.Protect(new long[,] { { 1, 2 }, { 3, 0 } }, 1).Count.Should().Be(0);
    }

    [Fact]
    public void One_small_cell_in_a_row_takes_the_smallest_other_cell_of_its_row_and_one_of_its_column_with_it()
    {
        var table = new long[,] { { 3, 40, 12 }, { 20, 30, 25 }, { 50, 60, 70 } };
        var result = Suppression.Protect(table, Threshold);
        result.Cells[0, 0].Should().BeTrue();
        result.Cells[0, 2].Should().BeTrue("12 is the smallest other cell of the first row");
        Enumerable.Range(1, 2).Count(r => result.Cells[r, 0]).Should().Be(1, "the first column needs one more");
        Enumerable.Range(1, 2).Count(r => result.Cells[r, 2]).Should().Be(1, "and so does the third");
        result.RowTotals.Should().OnlyContain(w => !w);
    }
}
