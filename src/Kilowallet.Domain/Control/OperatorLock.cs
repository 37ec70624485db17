namespace Kilowallet.Domain.Control;

/// <summary>A manual, audited override set by an operator, in force until the operator releases it.</summary>
public enum OperatorLock
{
    None = 0,

    /// <summary>Keep the supply cut whatever the balance.</summary>
    HeldOpen = 1,

    /// <summary>Keep the supply on whatever the balance (safety trips still apply).</summary>
    HeldClosed = 2,
}
