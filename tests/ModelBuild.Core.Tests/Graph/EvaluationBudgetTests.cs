using ModelBuild.Core.Graph;
using Xunit;

namespace ModelBuild.Core.Tests.Graph;

public sealed class EvaluationBudgetTests
{
    [Fact]
    public void A_fold_within_its_limit_returns_its_value_and_spends_its_work()
    {
        var budget = EvaluationBudget.ForConversion(() => 0);

        var value = budget.Fold(() =>
        {
            budget.Charge(1000);
            return "folded";
        });

        Assert.Equal("folded", value);
        Assert.Equal(1000, budget.Spent);
    }

    [Fact]
    public void A_fold_past_its_limit_is_not_folded_and_the_refused_work_is_not_spent()
    {
        var budget = EvaluationBudget.ForConversion(() => 0);

        var value = budget.Fold(() =>
        {
            budget.Charge(10);
            budget.Charge(EvaluationBudget.FoldWorkLimit);
            return "folded";
        });

        Assert.Null(value);
        Assert.Equal(10, budget.Spent);
    }

    [Fact]
    public void The_conversion_s_work_runs_out_across_folds_and_grows_with_its_source_bytes()
    {
        var sourceBytes = 0L;
        var budget = EvaluationBudget.ForConversion(() => sourceBytes);
        var folds = 0;
        while (budget.Fold(() =>
        {
            budget.Charge(EvaluationBudget.FoldWorkLimit);
            return "folded";
        }) is not null)
        {
            folds++;
        }

        Assert.Equal(EvaluationBudget.ConversionWorkBase / EvaluationBudget.FoldWorkLimit, folds);

        sourceBytes = EvaluationBudget.FoldWorkLimit / EvaluationBudget.ConversionWorkPerSourceByte;
        Assert.NotNull(budget.Fold(() =>
        {
            budget.Charge(EvaluationBudget.FoldWorkLimit);
            return "folded";
        }));
    }

    [Fact]
    public void Nested_folds_share_the_outer_fold_s_limit()
    {
        var budget = EvaluationBudget.ForConversion(() => 0);

        var outer = budget.Fold(() =>
        {
            budget.Charge(EvaluationBudget.FoldWorkLimit - 5);
            var inner = budget.Fold(() =>
            {
                budget.Charge(10);
                return "inner";
            });
            return inner is null ? "inner refused" : "inner folded";
        });

        Assert.Equal("inner refused", outer);
    }

    [Fact]
    public void An_unlimited_budget_never_refuses()
    {
        var budget = EvaluationBudget.Unlimited();

        Assert.Equal("done", budget.Fold(() =>
        {
            budget.Charge(long.MaxValue);
            budget.RequireSmallValue(ElementType.F32, 1L << 40);
            return "done";
        }));
    }

    [Theory]
    [InlineData(ElementType.F32, 16L << 20, true)]
    [InlineData(ElementType.F32, (16L << 20) + 1, false)]
    [InlineData(ElementType.F64, 8L << 20, true)]
    [InlineData(ElementType.F64, (8L << 20) + 1, false)]
    [InlineData(ElementType.U1, (16L << 20) + 1, false)]
    [InlineData(ElementType.I64, -1, false)]
    public void Values_are_small_up_to_64_MiB_and_16_Mi_elements(ElementType type, long elements, bool small) =>
        Assert.Equal(small, EvaluationBudget.IsSmallValue(type, elements));

    [Fact]
    public void Work_estimates_saturate_instead_of_overflowing()
    {
        Assert.Equal(long.MaxValue, EvaluationBudget.Product(1L << 40, 1L << 40));
        Assert.Equal(0, EvaluationBudget.Product(1L << 40, 0));
        Assert.Equal(6, EvaluationBudget.Product(2, 3));
    }
}
