package io.freehold.controlplane.billing;

import io.freehold.controlplane.platform.security.Caller;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/billing/budget}: the caller's tenant's monthly budget. */
@RestController
@RequestMapping("/api/v1/billing/budget")
class BudgetController {

    private final Budgets budgets;

    BudgetController(Budgets budgets) {
        this.budgets = budgets;
    }

    @GetMapping
    TenantBudget get(Caller caller) {
        return budgets.get(caller);
    }

    @PutMapping
    TenantBudget put(Caller caller, @Valid @RequestBody BudgetRequest request) {
        return budgets.put(caller, request);
    }

    @DeleteMapping
    ResponseEntity<Void> delete(Caller caller) {
        budgets.delete(caller);
        return ResponseEntity.noContent().build();
    }
}
