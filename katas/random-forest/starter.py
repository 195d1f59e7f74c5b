def gini(y):
    raise NotImplementedError
class DecisionTree:
    pass
class RandomForest:
    pass
